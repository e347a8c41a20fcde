"""Issue 11 point 9: the consulted party's 15 working days count from its receipt of the
letter (Art 32); until the receipt is recorded the deadline is an estimate from the sending
day."""

from datetime import date

import pytest

from casework.errors import InvalidInput, WrongState
from casework.models import Case, Event


@pytest.fixture
def consulting(receive, fire, divisions):
    case = receive(arrived=date(2026, 3, 2))
    fire(case, "register", "registrar", on=date(2026, 3, 2))
    fire(case, "assign", "reviewer", on=date(2026, 3, 2), lead_division_id=divisions["a"].pk)
    fire(case, "claim", "liaison_a", on=date(2026, 3, 2))
    fire(
        case,
        "open_consultation",
        "liaison_a",
        on=date(2026, 3, 3),
        party="third_party",
        party_name="某公司",
    )
    case.key = Event.objects.get(case=case, kind="open_consultation").payload["consultation_id"]
    return case


@pytest.mark.django_db
def test_party_deadline_runs_from_receipt_of_the_letter(consulting, fire):
    from casework.clock import ClockEvent, compute_clock
    from casework.selectors import working_calendar

    def consultation():
        events = [
            ClockEvent(kind, on, payload)
            for kind, on, payload in consulting.events.order_by("seq").values_list(
                "kind", "on", "payload"
            )
        ]
        return compute_clock(events, working_calendar()).consultations[0]

    before = consultation()
    assert before.estimated is True
    assert before.party_due_on == date(2026, 3, 24)  # 15 working days after sending (3-03)
    due_before = Case.objects.get(pk=consulting.pk).reply_due_on
    fire(
        consulting,
        "record_consultation_delivery",
        "liaison_a",
        on=date(2026, 3, 6),
        consultation_id=consulting.key,
    )
    after = consultation()
    assert after.estimated is False
    assert after.delivered_on == date(2026, 3, 6)
    assert after.party_due_on == date(2026, 3, 27)  # 15 working days after receipt (3-06)
    # While unanswered, the reply clock stands still up to the party's deadline: 3 days more.
    case = Case.objects.get(pk=consulting.pk)
    assert case.reply_due_on > due_before
    event = Event.objects.get(case=case, kind="record_consultation_delivery")
    assert event.payload["clock_changes"]["reply_due_on"][1] == case.reply_due_on.isoformat()


@pytest.mark.django_db
def test_delivery_is_recorded_once_and_not_before_sending(consulting, fire):
    with pytest.raises(InvalidInput):
        fire(
            consulting,
            "record_consultation_delivery",
            "liaison_a",
            on=date(2026, 3, 2),
            consultation_id=consulting.key,
        )
    fire(
        consulting,
        "record_consultation_delivery",
        "liaison_a",
        on=date(2026, 3, 4),
        consultation_id=consulting.key,
    )
    with pytest.raises(WrongState):
        fire(
            consulting,
            "record_consultation_delivery",
            "liaison_a",
            on=date(2026, 3, 5),
            consultation_id=consulting.key,
        )
    with pytest.raises(WrongState):
        fire(
            consulting,
            "record_consultation_delivery",
            "liaison_a",
            on=date(2026, 3, 5),
            consultation_id="nope",
        )
