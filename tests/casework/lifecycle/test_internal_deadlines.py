"""Issue 21 point 8: internal deadlines follow the clock. After a correction restarts the
reply period (Art 30) the division's internal due date is set again from the restarted due
date instead of staying behind; deadlines already met leave the running list."""

from datetime import date

import pytest

from casework.lifecycle.clock_store import working_days_before
from casework.models import Case, Event
from casework.selectors import DEADLINE_LABELS, case_internal_deadlines
from tests.conftest import at
from tests.provision import BY_POST


@pytest.fixture
def handling(receive, fire, divisions):
    case = receive(arrived=date(2026, 3, 2), now=at(date(2026, 3, 2)))
    fire(case, "register", "registrar", on=date(2026, 3, 2))
    fire(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    case.refresh_from_db()
    assert case.reply_due_on == date(2026, 3, 30)
    assert case.division_due_on == date(2026, 3, 23)  # 5 working days before
    return case


def labels(case: Case, today: date) -> dict[str, date]:
    return {d.label: d.due_on for d in case_internal_deadlines(case=case, today=today)}


@pytest.mark.django_db
def test_the_division_due_date_follows_a_correction_restart(handling, fire, settings):
    """Found: after a correction restart division_due_on stayed at its old value (−10
    working days while the case had 5 left)."""
    case = handling
    fire(
        case,
        "request_correction",
        "registrar",
        on=date(2026, 3, 5),
        items="写明年份",
        deadline_on="2026-03-27",
    )
    fire(
        case,
        "receive_correction",
        "registrar",
        on=date(2026, 3, 26),
        now=at(date(2026, 3, 26)),
        subject="2025年度安置计划",
    )
    case = Case.objects.get(pk=case.pk)
    assert case.status == "handling"
    assert case.clock_started_on == date(2026, 3, 26)
    expected = working_days_before(
        case.reply_due_on, settings.DIVISION_DUE_WORKING_DAYS_BEFORE, on_or_after=date(2026, 3, 26)
    )
    assert case.division_due_on == expected
    assert date(2026, 3, 26) <= case.division_due_on < case.reply_due_on
    event = Event.objects.get(case=case, kind="receive_correction")
    assert event.payload["clock_changes"]["division_due_on"] == [
        "2026-03-23",
        expected.isoformat(),
    ]
    shown = labels(case, date(2026, 3, 26))
    assert shown[str(DEADLINE_LABELS["division_due_on"])] == expected


@pytest.mark.django_db
def test_met_deadlines_leave_the_running_list(handling, fire):
    case = handling
    fire(case, "claim", "liaison_a", on=date(2026, 3, 4))
    division = str(DEADLINE_LABELS["division_due_on"])
    assert division in labels(Case.objects.get(pk=case.pk), date(2026, 3, 4))
    fire(
        case,
        "open_consultation",
        "liaison_a",
        on=date(2026, 3, 4),
        party="third_party",
        party_name="某公司",
        matter="合同",
    )
    consultation = Event.objects.get(case=case, kind="open_consultation").payload
    assert any(
        "某公司" in label for label in labels(Case.objects.get(pk=case.pk), date(2026, 3, 4))
    )
    fire(
        case,
        "close_consultation",
        "liaison_a",
        on=date(2026, 3, 6),
        consultation_id=consultation["consultation_id"],
        opinion="agree",
    )
    assert not any(
        "某公司" in label for label in labels(Case.objects.get(pk=case.pk), date(2026, 3, 6))
    )
    fire(
        case,
        "propose",
        "liaison_a",
        on=date(2026, 3, 9),
        disposition="granted",
        basis="《条例》第三十六条第（二）项",
        **BY_POST,
    )
    fire(case, "return_for_revision", "reviewer", on=date(2026, 3, 10), reason="补充理由")
    case = Case.objects.get(pk=case.pk)
    assert case.status == "investigation"
    # The division proposed: its internal due date was met, even back in investigation.
    assert division not in labels(case, date(2026, 3, 10))


@pytest.mark.django_db
def test_the_correction_notice_due_date_is_met_once_asked(receive, fire):
    case = receive(arrived=date(2026, 3, 2), now=at(date(2026, 3, 2)))
    fire(case, "register", "registrar", on=date(2026, 3, 2))
    notice = "Correction notice to be sent by"
    from django.utils.translation import gettext

    assert gettext(notice) in labels(Case.objects.get(pk=case.pk), date(2026, 3, 3))
    fire(
        case,
        "request_correction",
        "registrar",
        on=date(2026, 3, 5),
        items="写明年份",
        deadline_on="2026-03-27",
    )
    fire(case, "receive_correction", "registrar", on=date(2026, 3, 9))
    case = Case.objects.get(pk=case.pk)
    assert case.status == "registered"
    assert gettext(notice) not in labels(case, date(2026, 3, 9))
