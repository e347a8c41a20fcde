"""Issue 11 point 4: an effective date is refused only when the law's order forbids it;
unrelated later events (an urge, a letter) never block a true date, and the clock is replayed
over the whole ledger, the change shown on the event."""

from datetime import date

import pytest

from casework.errors import InvalidInput
from casework.models import Case, Event
from tests.conftest import NOW, at


@pytest.fixture
def investigating(receive, fire, divisions):
    case = receive(arrived=date(2026, 3, 2))  # Monday, in person: received on 3-02
    fire(case, "register", "registrar", on=date(2026, 3, 2))
    fire(case, "assign", "reviewer", on=date(2026, 3, 2), lead_division_id=divisions["a"].pk)
    fire(case, "claim", "liaison_a", on=date(2026, 3, 2))
    return case


def _consult(fire, case, on):
    fire(case, "open_consultation", "liaison_a", on=on, party="third_party", party_name="某公司")
    return (
        Event.objects.filter(case=case, kind="open_consultation")
        .latest("seq")
        .payload["consultation_id"]
    )


@pytest.mark.django_db
def test_answer_recorded_after_an_urge_takes_its_true_date(investigating, fire):
    case = investigating
    key = _consult(fire, case, date(2026, 3, 3))  # Tuesday
    fire(case, "urge", "supervisor", on=date(2026, 3, 12), message="请加快办理")
    # The answer arrived on Tuesday 3-10, a week after sending; recorded on 3-16 after the urge.
    fire(
        case,
        "close_consultation",
        "liaison_a",
        on=date(2026, 3, 10),
        consultation_id=key,
        opinion="agree",
    )
    case.refresh_from_db()
    # Art 33(3): the 5 working days after sending up to the answer (3-04 … 3-10) do not count:
    # 20 working days after 3-02 is 3-30; plus 5 is 4-07 (4-06 is part of the Qingming holiday).
    assert case.reply_due_on == date(2026, 4, 7)
    event = Event.objects.filter(case=case, kind="close_consultation").get()
    assert event.on == date(2026, 3, 10)
    old, new = event.payload["clock_changes"]["reply_due_on"]
    assert new == "2026-04-07"
    assert old > new  # while open, the party's whole 15 days were excluded


@pytest.mark.django_db
def test_a_letter_issued_later_does_not_block_a_true_date(investigating, fire, users):
    from letters.services import letter_issue

    case = investigating
    key = _consult(fire, case, date(2026, 3, 3))
    letter_issue(
        number=case.number, kind="consultation_third_party", actor=users["registrar"], now=NOW
    )
    fire(
        case,
        "close_consultation",
        "liaison_a",
        on=date(2026, 3, 5),
        consultation_id=key,
        opinion="object",
    )
    assert Case.objects.get(pk=case.pk).reply_due_on == date(2026, 4, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setup", "name", "on", "fields", "message"),
    [
        (None, "urge", date(2026, 2, 27), {"message": "催"}, "收到"),
        (None, "claim", date(2026, 3, 1), {}, "日期"),
        ("consult", "close_consultation", date(2026, 3, 3), {"opinion": "agree"}, "征求意见"),
    ],
)
def test_dates_the_law_orders_otherwise_are_refused(
    investigating, fire, setup, name, on, fields, message
):
    case = investigating
    if setup == "consult":
        fields = {**fields, "consultation_id": _consult(fire, case, date(2026, 3, 4))}
    if name == "claim":
        fire(case, "release", "liaison_a", on=date(2026, 3, 3))
    before = Event.objects.filter(case=case).count()
    with pytest.raises(InvalidInput) as excinfo:
        fire(case, name, "liaison_a" if name != "urge" else "supervisor", on=on, **fields)
    assert excinfo.value.field == "on"
    assert message in excinfo.value.message or "不能早于" in excinfo.value.message
    assert Event.objects.filter(case=case).count() == before


@pytest.mark.django_db
def test_a_correction_cannot_arrive_before_its_notice_nor_in_the_future(receive, fire):
    case = receive(arrived=date(2026, 3, 2))
    fire(case, "register", "registrar", on=date(2026, 3, 2))
    fire(
        case,
        "request_correction",
        "registrar",
        on=date(2026, 3, 4),
        items="写明文件名称",
        deadline_on="2026-03-13",
    )
    with pytest.raises(InvalidInput):
        fire(case, "receive_correction", "registrar", on=date(2026, 3, 3))
    with pytest.raises(InvalidInput):
        fire(
            case, "receive_correction", "registrar", on=date(2026, 3, 17), now=at(date(2026, 3, 16))
        )
    fire(case, "receive_correction", "registrar", on=date(2026, 3, 9))
    assert Case.objects.get(pk=case.pk).clock_started_on == date(2026, 3, 9)
