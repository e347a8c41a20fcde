"""Issue 21 point 3: the day a step is entered is part of the record. A step the law ties to a
period is judged by the day it is entered as well as its effective date; a step recorded for
an earlier day beyond BACKDATE_REASON_WORKING_DAYS needs a reason and is flagged."""

from datetime import date

import pytest

from casework.errors import InvalidInput, WrongState
from casework.lifecycle import available_transitions
from casework.models import Case, Event
from tests.conftest import at, entry_recorded
from tests.provision import BY_POST

RECEIVED = date(2026, 11, 2)  # a Monday; the 20th working day after it is Monday 11-30
DUE = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _backdating_rule_on(settings):
    settings.BACKDATE_REASON_WORKING_DAYS = 2  # the default (the suite switches it off)


@pytest.fixture
def investigating(receive, fire, divisions):
    case = receive(arrived=RECEIVED, now=at(RECEIVED))
    fire(case, "register", "registrar", on=RECEIVED, now=at(RECEIVED))
    fire(
        case,
        "assign",
        "reviewer",
        on=RECEIVED,
        now=at(RECEIVED),
        lead_division_id=divisions["a"].pk,
    )
    fire(case, "claim", "liaison_a", on=RECEIVED, now=at(RECEIVED))
    case.refresh_from_db()
    assert case.reply_due_on == DUE
    return case


@pytest.mark.django_db
def test_the_backdated_extension_of_the_report_is_refused(investigating, fire, users):
    """Found on 12-07: the head fired `extend` with on=11-27 on a case due 11-30; it was
    accepted and the notice went out a week after the period had ended (Art 33(2))."""
    case = investigating
    fire(
        case,
        "request_extension",
        "liaison_a",
        on=date(2026, 11, 20),
        now=at(date(2026, 11, 20)),
        days=20,
        reason="档案多",
    )
    before = Event.objects.filter(case=case).count()
    entered = at(date(2026, 12, 7), 9)
    with pytest.raises(WrongState) as excinfo:
        fire(
            case,
            "extend",
            "head",
            on=date(2026, 11, 27),
            now=entered,
            days=20,
            reason="需调取档案",
            note="同意",
            backdate_reason="当时已口头同意",  # no reason makes it lawful
        )
    assert "2026年11月30日" in excinfo.value.message
    assert "第三十三条第二款" in excinfo.value.message
    assert "第三十三条" in excinfo.value.message or "Art 33(2)" in excinfo.value.message
    case = Case.objects.get(pk=case.pk)
    assert case.reply_due_on == DUE
    assert case.extension_days == 0
    assert Event.objects.filter(case=case).count() == before  # nothing written
    # Nor is it offered to the head that day.
    assert "extend" not in available_transitions(case, users["head"], now=entered)
    assert "extend" in available_transitions(case, users["head"], now=at(date(2026, 11, 27)))


@pytest.mark.django_db
def test_the_same_extension_entered_within_the_period_is_accepted(investigating, fire):
    case = investigating
    fire(
        case,
        "request_extension",
        "liaison_a",
        on=date(2026, 11, 20),
        now=at(date(2026, 11, 20)),
        days=20,
        reason="档案多",
    )
    fire(
        case,
        "extend",
        "head",
        on=date(2026, 11, 27),
        now=at(date(2026, 11, 30), 17),
        days=20,
        reason="需调取档案",
        note="同意",
    )
    case = Case.objects.get(pk=case.pk)
    assert case.reply_due_on == date(2026, 12, 28)
    event = Event.objects.get(case=case, kind="extend")
    assert event.on == date(2026, 11, 27)
    assert event.entered_at == entry_recorded(at(date(2026, 11, 30), 17))
    assert "late" not in event.payload
    assert "backdated" not in event.payload


@pytest.mark.django_db
def test_an_extension_request_after_the_period_is_refused(investigating, fire):
    case = investigating
    with pytest.raises(WrongState):
        fire(
            case,
            "request_extension",
            "liaison_a",
            on=date(2026, 11, 30),
            now=at(date(2026, 12, 1)),
            days=10,
            reason="档案多",
        )


@pytest.mark.django_db
def test_a_fee_notice_after_the_reply_period_is_refused(investigating, fire):
    """109号: the fee notice goes out within the reply period; afterwards the organ cannot
    charge, whatever reason it gives."""
    case = investigating
    with pytest.raises(WrongState):
        fire(
            case,
            "notify_fee",
            "liaison_a",
            on=date(2026, 11, 27),
            now=at(date(2026, 12, 2)),
            method="per_piece",
            quantity=12,
            backdate_reason="补录",
        )
    assert Case.objects.get(pk=case.pk).status == "investigation"


@pytest.mark.django_db
def test_a_late_correction_notice_is_judged_by_the_day_it_is_entered(receive, fire):
    """Art 30: 7 working days from receipt. Dated inside them but entered after, the notice
    is refused (issue 21: it would restart the reply period the organ let run), with or
    without a reason; entered on its last day it goes."""
    case = receive(arrived=RECEIVED, now=at(RECEIVED))
    fire(case, "register", "registrar", on=RECEIVED, now=at(RECEIVED))
    case.refresh_from_db()
    assert case.correction_notice_due_on == date(2026, 11, 11)
    for extra in ({}, {"late_reason": "承办人出差"}):
        with pytest.raises(WrongState) as excinfo:
            fire(
                case,
                "request_correction",
                "registrar",
                on=date(2026, 11, 10),
                now=at(date(2026, 11, 12)),
                items="写明年份",
                deadline_on="2026-11-30",
                **extra,
            )
        assert "2026年11月11日" in str(excinfo.value)
        assert "第三十条" in str(excinfo.value)
    assert not Event.objects.filter(case=case, kind="request_correction").exists()
    fire(
        case,
        "request_correction",
        "registrar",
        on=date(2026, 11, 11),
        now=at(date(2026, 11, 11)),
        items="写明年份",
        deadline_on="2026-11-30",
    )
    event = Event.objects.get(case=case, kind="request_correction")
    assert "late" not in event.payload


@pytest.mark.django_db
def test_a_late_reply_is_issued_and_flagged(investigating, fire, users):
    """Art 33: a reply after its due date is still owed: issued at once, flagged."""
    from letters.services import letter_issue

    case = investigating
    fire(
        case,
        "propose",
        "liaison_a",
        on=date(2026, 11, 27),
        now=at(date(2026, 11, 27)),
        disposition="granted",
        basis="《条例》第三十六条第（二）项",
        **BY_POST,
    )
    fire(case, "approve", "head", on=date(2026, 11, 27), now=at(date(2026, 11, 27)))
    letter_issue(
        number=case.number,
        kind="reply.granted",
        actor=users["registrar"],
        now=at(date(2026, 12, 2)),
    )
    event = Event.objects.get(case=case, kind="issue_reply")
    assert event.payload["late"] == {"what": "issue_reply", "due_on": "2026-11-30"}
    assert Case.objects.get(pk=case.pk).status == "replied"


@pytest.mark.django_db
def test_a_backdated_step_needs_a_reason_and_is_flagged(investigating, fire):
    case = investigating
    # Two working days back (Thursday → Monday): no reason needed.
    fire(
        case,
        "open_consultation",
        "liaison_a",
        on=date(2026, 11, 5),
        now=at(date(2026, 11, 9)),
        party="third_party",
        party_name="某公司",
        matter="合同",
    )
    assert "backdated" not in Event.objects.filter(case=case).last().payload
    # Four working days back: the reason is required, stored and flagged.
    with pytest.raises(InvalidInput) as excinfo:
        fire(
            case,
            "urge",
            "supervisor",
            on=date(2026, 11, 9),
            now=at(date(2026, 11, 13)),
            message="请加快办理",
        )
    assert excinfo.value.field == "backdate_reason"
    fire(
        case,
        "urge",
        "supervisor",
        on=date(2026, 11, 9),
        now=at(date(2026, 11, 13)),
        message="请加快办理",
        backdate_reason="电话催办，当日未录入",
    )
    event = Event.objects.filter(case=case).last()
    assert event.kind == "urge"
    assert event.on == date(2026, 11, 9)
    assert event.entered_at == entry_recorded(at(date(2026, 11, 13)))
    assert event.payload["backdated"] == {"entered_on": "2026-11-13", "working_days": 4}
    assert event.payload["backdate_reason"] == "电话催办，当日未录入"


@pytest.mark.django_db
def test_the_backdating_threshold_is_a_setting(investigating, fire, settings):
    settings.BACKDATE_REASON_WORKING_DAYS = 5
    case = investigating
    fire(
        case,
        "urge",
        "supervisor",
        on=date(2026, 11, 9),
        now=at(date(2026, 11, 13)),
        message="请加快办理",
    )
    assert "backdated" not in Event.objects.filter(case=case).last().payload
