"""Every transition of DESIGN §3: the allowed path writes exactly one event; a wrong source
state and a wrong role are refused with a Chinese message and write nothing."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from casework.choices import OPEN_STATUSES, CaseStatus, Channel, Disposition
from casework.errors import InvalidInput, NotPermitted, WrongState
from casework.models import Case, Event
from tests.conftest import NOW, TODAY, at, entry_recorded
from tests.provision import BY_POST

BASE = date(2026, 3, 2)  # a Monday; every setup step happens on this day
LATER = at(date(2026, 6, 15), 15)  # a "now" after every applicant deadline of the setups

# How to bring a fresh in-person case to each state: (transition, who, fields).
STEPS: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    CaseStatus.RECEIVED: [],
    CaseStatus.REGISTERED: [("register", "registrar", {})],
}
STEPS[CaseStatus.CORRECTION] = [
    *STEPS[CaseStatus.REGISTERED],
    ("request_correction", "registrar", {"items": "请写明文件名称", "deadline_on": "2026-03-09"}),
]
STEPS[CaseStatus.HANDLING] = [
    *STEPS[CaseStatus.REGISTERED],
    ("assign", "reviewer", {"lead_division_id": "a"}),
]
STEPS[CaseStatus.INVESTIGATION] = [*STEPS[CaseStatus.HANDLING], ("claim", "liaison_a", {})]
STEPS["extension_requested"] = [
    *STEPS[CaseStatus.INVESTIGATION],
    ("request_extension", "liaison_a", {"days": 10, "reason": "需调取档案"}),
]
STEPS[CaseStatus.AWAITING_FEE] = [
    *STEPS[CaseStatus.INVESTIGATION],
    ("notify_fee", "liaison_a", {"method": "per_piece", "quantity": 12, "amount": "200"}),
]
STEPS[CaseStatus.REVIEW] = [
    *STEPS[CaseStatus.INVESTIGATION],
    (
        "propose",
        "liaison_a",
        {"disposition": Disposition.GRANTED, "basis": "《条例》第三十六条第（二）项", **BY_POST},
    ),
]
STEPS[CaseStatus.APPROVED] = [*STEPS[CaseStatus.REVIEW], ("approve", "head", {})]
STEPS[CaseStatus.REPLIED] = [*STEPS[CaseStatus.APPROVED], ("issue_reply", "registrar", {})]
STEPS["handling_co"] = [
    *STEPS[CaseStatus.REGISTERED],
    ("assign", "reviewer", {"lead_division_id": "a", "co_division_ids": ["b"]}),
]
STEPS["review_co"] = [
    *STEPS["handling_co"],
    ("claim", "liaison_a", {}),
    (
        "propose",
        "liaison_a",
        {"disposition": Disposition.GRANTED, "basis": "《条例》第三十六条第（二）项", **BY_POST},
    ),
]
STEPS[CaseStatus.ARCHIVED] = [*STEPS[CaseStatus.REPLIED], ("archive", "registrar", {})]

# transition: (source state, allowed actor, fields, expected status, a wrong actor, a wrong state)
TABLE: list[tuple[str, str, str, dict[str, Any], str, str, str]] = [
    (
        "confirm_receipt",
        "online",
        "registrar",
        # arrived 3-02, confirmed 3-16: past the prompt-confirmation limit, so with a reason
        {"method": "电话确认", "late_reason": "申请人电话多日未接通"},
        CaseStatus.RECEIVED,
        "liaison_a",
        CaseStatus.REGISTERED,
    ),
    (
        "register",
        CaseStatus.RECEIVED,
        "registrar",
        {},
        CaseStatus.REGISTERED,
        "liaison_a",
        CaseStatus.REGISTERED,
    ),
    (
        "set_items",
        CaseStatus.REGISTERED,
        "registrar",
        {"items": "安置计划\n落实情况"},
        CaseStatus.REGISTERED,
        "liaison_a",
        CaseStatus.RECEIVED,
    ),
    (
        "request_correction",
        CaseStatus.REGISTERED,
        "reviewer",
        # received 3-02: the 7th working day is 3-11 (Art 30), so the notice goes on 3-10
        {"items": "请写明文件名称", "deadline_on": "2026-03-30"},
        CaseStatus.CORRECTION,
        "supervisor",
        CaseStatus.CORRECTION,
    ),
    (
        "receive_correction",
        CaseStatus.CORRECTION,
        "registrar",
        # the applicant's deadline was 3-09: a correction on 3-16 is accepted with a reason
        {"subject": "2025年度退役士兵安置计划（全文）", "late_reason": "邮寄延误，邮戳为3月8日"},
        CaseStatus.REGISTERED,
        "liaison_a",
        CaseStatus.REGISTERED,
    ),
    (
        "assign",
        CaseStatus.REGISTERED,
        "reviewer",
        {"lead_division_id": "a", "co_division_ids": ["b"]},
        CaseStatus.HANDLING,
        "liaison_a",
        CaseStatus.RECEIVED,
    ),
    (
        "claim",
        CaseStatus.HANDLING,
        "liaison_a",
        {},
        CaseStatus.INVESTIGATION,
        "liaison_b",
        CaseStatus.INVESTIGATION,
    ),
    (
        "open_consultation",
        CaseStatus.INVESTIGATION,
        "liaison_a",
        {"party": "third_party", "party_name": "某公司"},
        CaseStatus.INVESTIGATION,
        "liaison_b",
        CaseStatus.HANDLING,
    ),
    (
        "extend",
        CaseStatus.INVESTIGATION,
        "head",
        {"days": 20, "reason": "需要调取档案"},
        CaseStatus.INVESTIGATION,
        "reviewer",
        CaseStatus.HANDLING,
    ),
    (
        "notify_fee",
        CaseStatus.INVESTIGATION,
        "liaison_a",
        {"method": "per_page", "quantity": 150, "amount": "1700"},
        CaseStatus.AWAITING_FEE,
        "registrar",
        CaseStatus.REVIEW,
    ),
    (
        "receive_fee",
        CaseStatus.AWAITING_FEE,
        "registrar",
        {"amount": "200.00"},
        CaseStatus.INVESTIGATION,
        "liaison_a",
        CaseStatus.INVESTIGATION,
    ),
    (
        "propose",
        CaseStatus.INVESTIGATION,
        "liaison_a",
        {
            "disposition": Disposition.UNABLE_NOT_HELD,
            "basis": "《条例》第三十六条第（四）项",
            "search_places": "档案室",
            "search_terms": "安置计划",
        },
        CaseStatus.REVIEW,
        "reviewer",
        CaseStatus.HANDLING,
    ),
    (
        "return_for_revision",
        CaseStatus.REVIEW,
        "reviewer",
        {"reason": "法律依据不准确"},
        CaseStatus.INVESTIGATION,
        "liaison_a",
        CaseStatus.INVESTIGATION,
    ),
    (
        "approve",
        CaseStatus.REVIEW,
        "head",
        {},
        CaseStatus.APPROVED,
        "reviewer",
        CaseStatus.INVESTIGATION,
    ),
    (
        "issue_reply",
        CaseStatus.APPROVED,
        "registrar",
        {},
        CaseStatus.REPLIED,
        "liaison_a",
        CaseStatus.REVIEW,
    ),
    (
        "reply_on_the_spot",
        CaseStatus.RECEIVED,
        "registrar",
        {"disposition": Disposition.GRANTED, "basis": "《条例》第三十六条第（二）项"},
        CaseStatus.REPLIED,
        "supervisor",
        CaseStatus.HANDLING,
    ),
    (
        "record_delivery",
        CaseStatus.REPLIED,
        "registrar",
        {"method": "post", "tracking_number": "EMS123"},
        CaseStatus.REPLIED,
        "liaison_a",
        CaseStatus.APPROVED,
    ),
    (
        "archive",
        CaseStatus.REPLIED,
        "registrar",
        {},
        CaseStatus.ARCHIVED,
        "supervisor",
        CaseStatus.APPROVED,
    ),
    (
        "withdraw",
        CaseStatus.INVESTIGATION,
        "registrar",
        {"reason": "申请人撤回"},
        CaseStatus.WITHDRAWN,
        "liaison_a",
        CaseStatus.REPLIED,
    ),
    (
        "abandon",
        CaseStatus.CORRECTION,
        "reviewer",
        {},
        CaseStatus.ABANDONED,
        "registrar",
        CaseStatus.REGISTERED,
    ),
    (
        "urge",
        CaseStatus.INVESTIGATION,
        "supervisor",
        {"message": "请加快办理"},
        CaseStatus.INVESTIGATION,
        "liaison_a",
        CaseStatus.ARCHIVED,
    ),
    (
        "give_opinion",
        "handling_co",
        "liaison_b",
        {"opinion": "同意公开"},
        CaseStatus.HANDLING,
        "liaison_a",
        "review_co",
    ),
    (
        "check",
        CaseStatus.REVIEW,
        "reviewer",
        {"comment": "同意"},
        CaseStatus.REVIEW,
        "liaison_a",
        CaseStatus.INVESTIGATION,
    ),
    (
        "release",
        CaseStatus.INVESTIGATION,
        "reviewer",
        {},
        CaseStatus.HANDLING,
        "liaison_b",
        CaseStatus.HANDLING,
    ),
    (
        "reassign",
        CaseStatus.INVESTIGATION,
        "reviewer",
        {"assignee_id": "liaison_a2"},
        CaseStatus.INVESTIGATION,
        "liaison_b",
        CaseStatus.HANDLING,
    ),
    (
        "transfer",
        CaseStatus.HANDLING,
        "reviewer",
        {"lead_division_id": "c", "reason": "职责调整"},
        CaseStatus.HANDLING,
        "liaison_a",
        CaseStatus.REVIEW,
    ),
    (
        "hand_back",
        CaseStatus.INVESTIGATION,
        "liaison_a",
        {"reason": "不属于本处室职责"},
        CaseStatus.REGISTERED,
        "reviewer",
        CaseStatus.REVIEW,
    ),
    (
        "reject_extension",
        "extension_requested",
        "head",
        {"reason": "可以按期答复"},
        CaseStatus.INVESTIGATION,
        "reviewer",
        CaseStatus.HANDLING,
    ),
    (
        "request_extension",
        CaseStatus.INVESTIGATION,
        "liaison_a",
        {"days": 10, "reason": "需调取档案"},
        CaseStatus.INVESTIGATION,
        "registrar",
        CaseStatus.HANDLING,
    ),
    (
        "update_applicant",
        CaseStatus.REGISTERED,
        "registrar",
        {"phone": "13900000000"},
        CaseStatus.REGISTERED,
        "liaison_a",
        CaseStatus.REPLIED,
    ),
    (
        "record_remedy",
        CaseStatus.REPLIED,
        "reviewer",
        {"remedy": "reconsideration", "outcome": "pending", "filed_on": "2026-03-02"},
        CaseStatus.REPLIED,
        "supervisor",
        CaseStatus.INVESTIGATION,
    ),
]


@pytest.fixture
def reach(
    receive: Callable[..., Case], fire: Callable[..., Case], divisions: Any
) -> Callable[[str], Case]:
    def _reach(state: str) -> Case:
        if state == "online":
            return receive(channel=Channel.ONLINE, arrived=BASE)
        case = receive(arrived=BASE)
        for name, who, fields in STEPS[state]:
            fields = dict(fields)
            if name == "assign":
                fields["lead_division_id"] = divisions[fields["lead_division_id"]].pk
                fields["co_division_ids"] = [
                    divisions[c].pk for c in fields.get("co_division_ids", [])
                ]
            fire(case, name, who, on=BASE, **fields)
        case.refresh_from_db()
        assert case.status == {
            "handling_co": CaseStatus.HANDLING,
            "review_co": CaseStatus.REVIEW,
            "extension_requested": CaseStatus.INVESTIGATION,
        }.get(state, state)
        return case

    return _reach


def _prepare(fields: dict[str, Any], divisions: Any, case: Case) -> dict[str, Any]:
    fields = dict(fields)
    if "lead_division_id" in fields:
        fields["lead_division_id"] = divisions[fields["lead_division_id"]].pk
    if "co_division_ids" in fields:
        fields["co_division_ids"] = [divisions[c].pk for c in fields["co_division_ids"]]
    if "assignee_id" in fields:
        from django.contrib.auth.models import User

        fields["assignee_id"] = User.objects.get(username=fields["assignee_id"]).pk
    return fields


def _now_for(name: str) -> Any:
    # An on-the-spot reply is entered on its day; a backdated entry would need a reason.
    if name == "reply_on_the_spot":
        return at(BASE, 15)
    if name == "request_correction":  # within the 7 working days of Art 30
        return at(date(2026, 3, 10), 15)
    return LATER if name == "abandon" else NOW


def _on_for(name: str) -> date:
    # An on-the-spot reply is given on the day of receipt (BASE); others happen "now".
    return BASE if name == "reply_on_the_spot" else _now_for(name).date()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "source", "who", "fields", "target", "wrong_who", "wrong_state"),
    TABLE,
    ids=[row[0] for row in TABLE],
)
def test_transition_allowed_writes_one_event(
    reach, fire, divisions, users, name, source, who, fields, target, wrong_who, wrong_state
):
    case = reach(source)
    before = Event.objects.filter(case=case).count()
    fire(case, name, who, on=_on_for(name), now=_now_for(name), **_prepare(fields, divisions, case))
    case.refresh_from_db()
    assert case.status == target
    events = list(Event.objects.filter(case=case).order_by("seq"))
    assert len(events) == before + 1
    event = events[-1]
    assert event.kind == name
    assert event.actor == users[who]
    assert event.actor_role
    assert event.on == _on_for(name)
    assert event.entered_at == entry_recorded(_now_for(name))
    assert event.to_status == target
    assert event.seq == before + 1
    # A transition into a closed state closes the case's clock (DEVELOPING: closed_on), one
    # that reopens it clears the date: the dashboard's counts and the annual report read it.
    if target in OPEN_STATUSES:
        assert case.closed_on is None, f"{name} leaves {target} with closed_on set"
    else:
        assert case.closed_on is not None, f"{name} closes into {target} without closed_on"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "source", "who", "fields", "target", "wrong_who", "wrong_state"),
    TABLE,
    ids=[row[0] for row in TABLE],
)
def test_transition_from_wrong_state_is_refused(
    reach, fire, divisions, name, source, who, fields, target, wrong_who, wrong_state
):
    case = reach(wrong_state)
    before = (Event.objects.filter(case=case).count(), case.status, case.reply_due_on)
    with pytest.raises(WrongState) as excinfo:
        fire(
            case,
            name,
            who,
            on=_now_for(name).date(),
            now=_now_for(name),
            **_prepare(fields, divisions, case),
        )
    assert any("\u4e00" <= ch <= "\u9fff" for ch in excinfo.value.message), excinfo.value.message
    case.refresh_from_db()
    assert (Event.objects.filter(case=case).count(), case.status, case.reply_due_on) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "source", "who", "fields", "target", "wrong_who", "wrong_state"),
    TABLE,
    ids=[row[0] for row in TABLE],
)
def test_transition_by_wrong_role_is_refused(
    reach, fire, divisions, name, source, who, fields, target, wrong_who, wrong_state
):
    case = reach(source)
    before = (Event.objects.filter(case=case).count(), case.status)
    for user in (wrong_who, "nobody", "admin"):
        with pytest.raises(NotPermitted) as excinfo:
            fire(
                case,
                name,
                user,
                on=_now_for(name).date(),
                now=_now_for(name),
                **_prepare(fields, divisions, case),
            )
        assert "角色" in excinfo.value.message
    case.refresh_from_db()
    assert (Event.objects.filter(case=case).count(), case.status) == before


def test_every_design_transition_is_covered():
    from casework.lifecycle import TRANSITIONS

    # recompute: tests/casework/test_calendar_data.py; issue_letter, void_letter: tests/letters
    covered = {row[0] for row in TABLE} | {
        "receive",
        "close_consultation",
        "record_consultation_delivery",  # tests/casework/lifecycle/test_consultation.py
        "submit_correction",  # tests/casework/lifecycle/test_late_and_correction.py
        "merge_duplicate",  # tests/casework/lifecycle/test_merge_duplicate.py (needs two cases)
        "recompute",
        "issue_letter",
        "void_letter",
    }
    assert covered == {*TRANSITIONS, "recompute"}


@pytest.mark.django_db
def test_receive_writes_the_first_event_and_number(receive, users):
    case = receive(arrived=BASE)
    assert case.status == CaseStatus.RECEIVED
    assert case.number == "2026-0001"
    assert case.received_on == BASE
    (event,) = Event.objects.filter(case=case)
    assert (event.kind, event.seq, event.from_status, event.to_status) == (
        "receive",
        1,
        "",
        "received",
    )
    assert event.actor == users["registrar"]
    assert event.actor_role == "登记员"
    assert receive(arrived=BASE).number == "2026-0002"


@pytest.mark.django_db
def test_close_consultation_path_and_errors(reach, fire):
    case = reach(CaseStatus.INVESTIGATION)
    fire(
        case,
        "open_consultation",
        "liaison_a",
        on=BASE,
        party="other_organ",
        party_name="济南市民政局",
    )
    key = Event.objects.filter(case=case, kind="open_consultation").get().payload["consultation_id"]
    with pytest.raises(WrongState):
        fire(case, "close_consultation", "liaison_a", consultation_id="nope", opinion="agree")
    with pytest.raises(NotPermitted):
        fire(case, "close_consultation", "liaison_b", consultation_id=key, opinion="agree")
    fire(case, "close_consultation", "liaison_a", consultation_id=key, opinion="agree")
    assert Event.objects.filter(case=case).last().kind == "close_consultation"
    with pytest.raises(WrongState):
        fire(case, "close_consultation", "liaison_a", consultation_id=key, opinion="agree")


@pytest.mark.django_db
def test_second_extension_is_refused(reach, fire):
    case = reach(CaseStatus.INVESTIGATION)
    fire(case, "extend", "head", days=5, reason="档案调取")
    count = Event.objects.filter(case=case).count()
    with pytest.raises(WrongState) as excinfo:
        fire(case, "extend", "head", days=5, reason="再次延期")
    assert "只能延长一次" in excinfo.value.message
    assert Event.objects.filter(case=case).count() == count


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"days": 21, "reason": "x"}, "days"),
        ({"days": 0, "reason": "x"}, "days"),
        ({"days": "abc", "reason": "x"}, "days"),
        ({"days": 5}, "reason"),
    ],
)
def test_extend_with_bad_fields_is_refused(reach, fire, fields, field):
    case = reach(CaseStatus.INVESTIGATION)
    with pytest.raises(InvalidInput) as excinfo:
        fire(case, "extend", "head", **fields)
    assert excinfo.value.field == field
    assert Event.objects.filter(case=case, kind="extend").count() == 0


@pytest.mark.django_db
def test_effective_date_in_the_future_or_before_previous_event_is_refused(reach, fire):
    case = reach(CaseStatus.RECEIVED)
    with pytest.raises(InvalidInput) as excinfo:
        fire(case, "register", "registrar", on=TODAY + timedelta(days=1))
    assert excinfo.value.field == "on"
    with pytest.raises(InvalidInput) as excinfo:
        fire(case, "register", "registrar", on=BASE - timedelta(days=1))
    assert excinfo.value.field == "on"
    assert Event.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_register_online_case_needs_confirmation_first(reach, fire):
    case = reach("online")
    assert case.received_on is None
    with pytest.raises(WrongState):
        fire(case, "register", "registrar", on=BASE)
    fire(case, "confirm_receipt", "registrar", on=BASE + timedelta(days=1))
    case.refresh_from_db()
    assert case.received_on == BASE + timedelta(days=1)
    fire(case, "register", "registrar", on=BASE + timedelta(days=1))


@pytest.mark.django_db
def test_confirmation_date_before_arrival_is_refused(reach, fire):
    case = reach("online")
    with pytest.raises(InvalidInput):
        fire(case, "confirm_receipt", "registrar", on=BASE - timedelta(days=1))


@pytest.mark.django_db
def test_partial_disclosure_needs_the_withheld_part(reach, fire):
    case = reach(CaseStatus.INVESTIGATION)
    with pytest.raises(InvalidInput) as excinfo:
        fire(
            case,
            "propose",
            "liaison_a",
            disposition=Disposition.PARTIAL,
            basis="《条例》第三十七条",
        )
    assert excinfo.value.field == "withheld"
    with pytest.raises(InvalidInput) as excinfo:
        fire(case, "propose", "liaison_a", disposition="nonsense", basis="")
    assert excinfo.value.field == "disposition"


@pytest.mark.django_db
def test_abandon_before_the_deadline_is_refused(reach, fire):
    case = reach(CaseStatus.CORRECTION)
    with pytest.raises(WrongState):
        fire(case, "abandon", "reviewer", on=date(2026, 3, 9), now=at(date(2026, 3, 9), 15))


@pytest.mark.django_db
def test_reply_on_the_spot_only_for_counter_applications(reach, fire):
    case = reach("online")
    fire(case, "confirm_receipt", "registrar", on=BASE)
    with pytest.raises(WrongState):
        fire(
            case,
            "reply_on_the_spot",
            "registrar",
            on=BASE,
            disposition=Disposition.GRANTED,
            basis="",
        )


@pytest.mark.django_db
def test_the_assignee_releases_and_records_the_role(reach, fire):
    case = reach(CaseStatus.INVESTIGATION)
    with pytest.raises(NotPermitted):
        fire(case, "release", "liaison_a2")
    fire(case, "release", "liaison_a")
    event = Event.objects.filter(case=case).last()
    assert (event.kind, event.actor_role, event.to_status) == (
        "release",
        "联络员",
        CaseStatus.HANDLING,
    )


@pytest.mark.django_db
def test_fee_amount_is_computed_from_the_applicants_month(receive, fire, divisions):
    # 109号 Art 4: the applicant's 11th application in March costs 100 yuan per piece.
    for _ in range(10):
        receive(arrived=BASE)
    case = receive(arrived=BASE)
    fire(case, "register", "registrar", on=BASE)
    fire(case, "assign", "reviewer", on=BASE, lead_division_id=divisions["a"].pk)
    fire(case, "claim", "liaison_a", on=BASE)
    fire(case, "notify_fee", "liaison_a", on=BASE, method="per_piece", quantity=1)
    payload = Event.objects.filter(case=case, kind="notify_fee").get().payload
    assert (payload["amount"], payload["earlier_in_month"]) == ("100.00", 10)


@pytest.mark.django_db
def test_update_applicant_validates_and_records_masked_changes(reach, fire):
    case = reach(CaseStatus.REGISTERED)
    with pytest.raises(InvalidInput) as excinfo:
        fire(case, "update_applicant", "registrar", id_number="370102198001011238")
    assert excinfo.value.field == "id_number"
    with pytest.raises(InvalidInput):
        fire(case, "update_applicant", "registrar")  # nothing changed
    fire(case, "update_applicant", "registrar", id_number="11010519491231002X", phone="13900000000")
    event = Event.objects.filter(case=case, kind="update_applicant").get()
    assert event.payload["changes"]["id_number"] == ["3701**********1237", "1101**********002X"]
    case.refresh_from_db()
    assert case.applicant.phone == "13900000000"
