"""Merging a duplicate (issue 25 point 2): the same applicant asked again for the same
information before the first request was answered. The later case closes into the earlier
one (status "merged"), the clock stops, the applicant is told by e-mail, one event records
it; it is refused for another applicant's case, an answered or later case, another organ's
case, and by a role that may not do it."""

from datetime import date

import pytest

from casework.choices import OPEN_STATUSES, CaseStatus
from casework.errors import InvalidInput, NotPermitted, WrongState
from casework.library.index import entry_refresh
from casework.library.selectors import library_panel, merge_candidates
from casework.lifecycle import available_actions
from casework.lifecycle.inputs import MergeDuplicateInput
from casework.models import Case, Event, Notification, Organ
from tests.conftest import NOW, TODAY, VALID_RESIDENT_ID_2, at, person
from workflows.viewflow_adapter import OPEN_TASK, Task

OTHER = person(name="李四", id_number=VALID_RESIDENT_ID_2, phone="13900139000", email="")


def _index(*cases: Case) -> None:
    for case in cases:
        entry_refresh(case.pk)


@pytest.fixture
def pair(receive_flow, act):
    """The first request, registered; the same request again a day later, registered."""
    first = receive_flow(arrived=date(2026, 3, 2))
    act(first, "register", "registrar", on=date(2026, 3, 2))
    second = receive_flow(arrived=date(2026, 3, 3))
    act(second, "register", "registrar", on=date(2026, 3, 3))
    _index(first, second)
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


@pytest.mark.django_db
def test_the_library_offers_the_merge_and_the_merge_closes_the_later_case(pair, act, users):
    first, second = pair
    panel = library_panel(second, TODAY)
    assert [d.case for d in panel.duplicates] == [first]  # the offer on the case page
    assert [s.case for s in merge_candidates(second)] == [first]
    assert MergeDuplicateInput(case=second).initial["merged_into"] == first.number
    offered = {a.name for a in available_actions(second, users["registrar"], now=NOW)}
    assert "merge_duplicate" in offered
    # The earlier case has no earlier request of its own to merge into.
    assert "merge_duplicate" not in {
        a.name for a in available_actions(first, users["registrar"], now=NOW)
    }
    before = Event.objects.filter(case=second).count()
    first_before = (first.status, first.reply_due_on, Event.objects.filter(case=first).count())

    act(
        second,
        "merge_duplicate",
        "registrar",
        merged_into=first.number,
        reason="同一申请人重复提交",
    )

    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == CaseStatus.MERGED
    assert second.closed_on == NOW.date()
    event = Event.objects.filter(case=second).order_by("-seq").first()
    assert Event.objects.filter(case=second).count() == before + 1
    assert (event.kind, event.from_status, event.to_status) == (
        "merge_duplicate",
        CaseStatus.REGISTERED,
        CaseStatus.MERGED,
    )
    assert event.actor == users["registrar"]
    assert event.payload["merged_into"] == first.number
    assert event.payload["reason"] == "同一申请人重复提交"
    # The earlier case answers both: untouched.
    assert (first.status, first.reply_due_on, Event.objects.filter(case=first).count()) == (
        first_before
    )
    assert first.status in OPEN_STATUSES
    # The flow of the merged case ends: no task is left open.
    assert not Task.objects.filter(process__caseprocess__case=second, status__in=OPEN_TASK).exists()
    # The applicant is told by e-mail (templates/email/request_merged.txt).
    note = Notification.objects.get(dedupe_key=f"merged:{second.pk}")
    assert note.to == ["zhangsan@example.com"]
    assert second.number in note.subject
    assert first.number in note.subject
    assert "2026年3月16日" in note.body
    assert first.subject in note.body
    # Once merged, nothing more to merge; the panel no longer offers the merged case.
    with pytest.raises(WrongState):
        act(second, "merge_duplicate", "registrar", merged_into=first.number)


@pytest.mark.django_db
def test_the_clock_stops_on_the_merge(pair, act):
    from casework.clock import ClockEvent, compute_clock, describe_segment
    from casework.selectors import working_calendar

    first, second = pair
    act(second, "merge_duplicate", "registrar", merged_into=first.number)
    events = [ClockEvent(kind=e.kind, on=e.on, payload=e.payload) for e in second.events.all()]
    result = compute_clock(events, working_calendar())
    assert result.closed_on == NOW.date()
    (closed,) = [s for s in result.segments if s.kind == "closed"]
    assert closed.start == NOW.date()
    assert "并入" in describe_segment(closed)


@pytest.mark.django_db
def test_merge_is_refused_for_another_applicant_a_later_or_answered_case(
    pair, receive_flow, act, organ
):
    first, second = pair
    # Another applicant's request: nothing of the same applicant is open before it.
    other = receive_flow(arrived=date(2026, 3, 4), applicant=OTHER)
    act(other, "register", "registrar", on=date(2026, 3, 4))
    with pytest.raises(WrongState) as refused:
        act(other, "merge_duplicate", "registrar", merged_into=first.number)
    assert "没有" in refused.value.message
    # The second request may not be merged into another applicant's case, into a later case,
    # into itself, or into a number that is not a case of this organ.
    third = receive_flow(arrived=date(2026, 3, 5))
    for number in (other.number, third.number, second.number, "2026-9999"):
        with pytest.raises(InvalidInput) as invalid:
            act(second, "merge_duplicate", "registrar", merged_into=number)
        assert invalid.value.field == "merged_into"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in invalid.value.message)
    # The same applicant's earlier open request at another organ is not this organ's case.
    elsewhere = Organ.objects.create(name="另一机关", short_name="另一")
    Case.objects.filter(pk=third.pk).update(organ=elsewhere, arrived_at=at(date(2026, 3, 1)))
    with pytest.raises(InvalidInput) as invalid:
        act(second, "merge_duplicate", "registrar", merged_into=third.number)
    assert "没有" in invalid.value.message
    # The earlier case is withdrawn: it no longer answers anything, so no merge.
    act(first, "withdraw", "registrar", reason="申请人撤回")
    with pytest.raises(WrongState):
        act(second, "merge_duplicate", "registrar", merged_into=first.number)
    second.refresh_from_db()
    assert second.status == CaseStatus.REGISTERED
    assert not Notification.objects.filter(dedupe_key=f"merged:{second.pk}").exists()


@pytest.mark.django_db
def test_a_closed_earlier_case_is_refused_with_the_reason(pair, act, receive_flow):
    _first, second = pair  # the first stays open: the guard passes, the form refuses
    third = receive_flow(arrived=date(2026, 3, 6))
    act(second, "withdraw", "registrar")
    with pytest.raises(InvalidInput) as invalid:
        act(third, "merge_duplicate", "registrar", merged_into=second.number)
    assert "第三十六条第六项" in invalid.value.message


@pytest.mark.django_db
def test_merge_needs_an_office_role(pair, users):
    from casework.services import case_transition

    first, second = pair
    for who in ("liaison_a", "supervisor", "nobody"):
        with pytest.raises(NotPermitted):
            case_transition(
                number=second.number,
                name="merge_duplicate",
                actor=users[who],
                on=TODAY,
                fields={"merged_into": first.number},
                now=at(TODAY, 15),
            )
    second.refresh_from_db()
    assert second.status == CaseStatus.REGISTERED


@pytest.mark.django_db
def test_a_merged_request_counts_like_a_withdrawal_in_the_annual_report(pair, act, organ):
    from casework.annual_report import WITHDRAWN_ROW, table_3

    first, second = pair
    act(second, "merge_duplicate", "registrar", merged_into=first.number)
    table = table_3(organ, 2026)
    assert table.cells["new"]["natural_person"] == 2
    assert table.cells[WITHDRAWN_ROW]["natural_person"] == 1  # （六）3.其他
    assert table.cells["carried_out"]["natural_person"] == 1  # the earlier one, still open
    assert all(table.checks.values())
