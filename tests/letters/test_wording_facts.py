"""Every procedural fact a letter's wording states comes from an event that must be in the
ledger before the letter can be issued (issue 21, point 4).

FACTS is the table: for each wording template (templates/letters/wording/*.txt), the facts it
asserts — as the variable or phrase of the template that states it — and the source each comes
from (an event of the ledger, or a field of the decision's event that the decision rules
require). A new template without an entry fails `test_every_template_has_its_facts`; an entry
whose phrase is not in its template fails `test_the_table_describes_the_templates`; and for each
(template, source), a case missing that source is built and the step that would give the letter
is refused (`test_a_letter_without_its_source_is_refused`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings

import pytest

from casework.errors import InvalidInput, NotPermitted, WrongState
from letters.registry import DOCUMENTS
from letters.services import letter_issue
from tests.conftest import NOW, at
from tests.letters.decided import ARRIVED, proposal, release_for

WORDING = Path(settings.BASE_DIR) / "templates" / "letters" / "wording"

# Where each fact comes from.
SOURCES = {
    "receipt": "receive (in person) / confirm_receipt: the legal date of receipt, Art 31",
    "register": "register: the application is registered, Art 45",
    "request_correction": "request_correction: its date, items and deadline, Art 30",
    "receive_correction": "receive_correction after the request: the corrected application",
    "correction_lapsed": "abandon after request_correction's deadline passed, Art 30",
    "extend": "extend: the head's approval, days and ground, Art 33(2)",
    "open_consultation": "open_consultation: the party, its name and the matter, Art 32/34",
    "notify_fee": "notify_fee: date, method, quantity and amount, 109号",
    "fee_lapsed": "abandon after notify_fee's payment deadline passed, 109号",
    "approve": "approve (审签) of the proposal: the disposition and its basis, Art 36",
    "propose:reasons": "propose.reasons, required and not a placeholder (Art 36)",
    "propose:where_published": "propose.where_published (Art 36(1))",
    "propose:withheld": "propose.withheld (Art 37)",
    "propose:search": "propose.search_places/search_systems + search_terms (Art 36(4))",
    "propose:responsible_organ": "propose.responsible_organ (Art 36(5))",
    "propose:responsible_contact": "propose.responsible_contact (Art 36(5))",
    "propose:earlier_case": "propose.earlier_case_number → the earlier case's issue_reply "
    "(date, 文号), same organ and applicant, before receipt (Art 36(6))",
    "propose:explanation": "propose.explanation_requested_on (Art 35)",
    "propose:provision": "propose.arrangement + arranged_on: the inspection or posting arranged "
    "with its date (Art 36(2), 40), required of a granted reply without released files",
    "release:approved": "the release set of the case's records, approved by the reviewer "
    "(letters.records) before propose may cite it and before check and approve (Art 37)",
}

RECEIPT = ("received_on_cn", "receipt")
DECISION = ("basis", "approve")
REFUSAL = [RECEIPT, ("refusal_ground", "approve"), DECISION, ("reasons", "propose:reasons")]

# template → [(phrase or variable of the template stating the fact, its source)]
FACTS: dict[str, list[tuple[str, str]]] = {
    "acknowledgement": [RECEIPT, ("已登记", "register"), ("reply_due_on_cn", "receipt")],
    "correction": [
        RECEIPT,
        ("correction_items", "request_correction"),
        ("correction_deadline_cn", "request_correction"),
    ],
    "extension": [
        RECEIPT,
        ("extension_reason", "extend"),
        ("extension_days", "extend"),
        ("reply_due_on_cn", "extend"),
    ],
    "consultation_notice": [RECEIPT, ("consultation_party_kind", "open_consultation")],
    "consultation_organ": [RECEIPT, ("consultation_matter", "open_consultation")],
    "consultation_third_party": [RECEIPT, ("consultation_matter", "open_consultation")],
    "fee_notice": [RECEIPT, ("fee_breakdown", "notify_fee"), ("fee_amount", "notify_fee")],
    "reply.granted": [RECEIPT, DECISION, ("arranged_on_cn", "propose:provision")],
    "reply.granted.already_published": [
        RECEIPT,
        DECISION,
        ("where_published", "propose:where_published"),
    ],
    "reply.partial": [
        RECEIPT,
        DECISION,
        ("withheld", "propose:withheld"),
        ("files", "release:approved"),
    ],
    "reply.refused.state_secret": REFUSAL,
    "reply.refused.prohibited_by_law": REFUSAL,
    "reply.refused.security_stability": REFUSAL,
    "reply.refused.third_party_rights": REFUSAL,
    "reply.refused.internal_affairs": REFUSAL,
    "reply.refused.process_information": REFUSAL,
    "reply.refused.enforcement_file": REFUSAL,
    "reply.refused.administrative_inquiry": REFUSAL,
    "reply.unable.not_held": [
        RECEIPT,
        DECISION,
        ("search_terms", "propose:search"),
        ("search_places", "propose:search"),
    ],
    "reply.unable.not_this_organ": [
        RECEIPT,
        DECISION,
        ("reasons", "propose:reasons"),
        ("responsible_organ", "propose:responsible_organ"),
        ("responsible_contact", "propose:responsible_contact"),
    ],
    "reply.unable.needs_creation": [RECEIPT, DECISION, ("reasons", "propose:reasons")],
    "reply.unable.unclear_after_correction": [
        RECEIPT,
        DECISION,
        ("correction_on_cn", "request_correction"),
        ("correction_received_on_cn", "receive_correction"),
    ],
    "reply.not_processed.petition_complaint": [RECEIPT, DECISION, ("reasons", "propose:reasons")],
    "reply.not_processed.repeated": [
        RECEIPT,
        DECISION,
        ("earlier_reply_on_cn", "propose:earlier_case"),
        ("earlier_letter_number", "propose:earlier_case"),
    ],
    "reply.not_processed.publication": [RECEIPT, DECISION, ("reasons", "propose:reasons")],
    "reply.not_processed.unreasonable_volume": [
        RECEIPT,
        DECISION,
        ("explanation_requested_on_cn", "propose:explanation"),
    ],
    "reply.not_processed.confirm_or_reissue": [RECEIPT, DECISION, ("reasons", "propose:reasons")],
    "reply.other.no_correction": [
        RECEIPT,
        ("correction_on_cn", "request_correction"),
        ("correction_deadline_cn", "correction_lapsed"),
    ],
    "reply.other.fee_unpaid": [
        RECEIPT,
        ("fee_notice_on_cn", "notify_fee"),
        ("fee_deadline_cn", "fee_lapsed"),
    ],
    "reply.other.other": [RECEIPT, DECISION],
}

REFUSED = (InvalidInput, WrongState, NotPermitted)
# The notices that document one step (letters.registry: Documents.step_events) are refused on
# a case under investigation that never took it; a new kind of that sort needs no scenario.
STEP_SOURCES = {
    event for d in DOCUMENTS.values() if d.key != "decision" for event in d.step_events
} - {"request_correction", "notify_fee"}  # these two have their own scenarios below


def test_every_template_has_its_facts():
    templates = {p.name.removesuffix(".txt") for p in WORDING.glob("*.txt")}
    assert len(templates) >= 30
    assert templates == set(FACTS), "add the new template's facts to FACTS"


def test_the_table_describes_the_templates():
    for key, facts in FACTS.items():
        text = (WORDING / f"{key}.txt").read_text(encoding="utf-8")
        for phrase, source in facts:
            assert source in SOURCES, (key, source)
            assert phrase in text, (key, phrase)


PAIRS = sorted({(key, source) for key, facts in FACTS.items() for _phrase, source in facts})


def _issue(case, kind, users, now=NOW):
    return letter_issue(number=case.number, kind=kind, actor=users["registrar"], now=now)


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "source"), PAIRS)
def test_a_letter_without_its_source_is_refused(
    key, source, receive_flow, act, divisions, users, organ
):
    from letters.models import LetterSettings

    LetterSettings.objects.create(
        organ=organ,
        fee_how="银行转账",
        fee_payee="济南市非税收入财政专户",
        fee_account="1602000000000000000",
    )
    disposition = key.removeprefix("reply.")

    def investigating(**kwargs):
        case = receive_flow(arrived=ARRIVED, **kwargs)
        act(case, "register", "registrar", on=ARRIVED)
        act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
        act(case, "claim", "liaison_a", on=date(2026, 3, 3))
        return case

    def propose_without(*fields, **extra):
        case = investigating()
        data = proposal(disposition, **extra)
        for name in fields:
            data.pop(name, None)
        with pytest.raises(REFUSED) as excinfo:
            act(case, "propose", "liaison_a", on=date(2026, 3, 10), **data)
        return excinfo.value

    if source == "receipt":
        case = receive_flow(channel="online", arrived=ARRIVED)  # receipt not yet confirmed
        with pytest.raises(REFUSED):
            _issue(case, key, users)
        with pytest.raises(WrongState):  # and nothing can follow until it is (Art 31)
            act(case, "register", "registrar", on=ARRIVED)
    elif source == "register":
        case = receive_flow(arrived=ARRIVED)
        with pytest.raises(WrongState, match="尚未登记"):
            _issue(case, key, users)
    elif source == "request_correction":
        if key == "correction":
            case = receive_flow(arrived=ARRIVED)
            act(case, "register", "registrar", on=ARRIVED)
            with pytest.raises(WrongState):
                _issue(case, key, users)
        elif key == "reply.other.no_correction":
            case = investigating()
            with pytest.raises(WrongState):  # no correction: nothing to abandon
                act(case, "abandon", "head", on=date(2026, 3, 12))
            error = propose_without()
            assert error.field == "disposition"
        else:
            error = propose_without()
            assert error.field == "disposition"
            assert "补正" in error.message
    elif source == "receive_correction":
        case = investigating()
        act(
            case,
            "request_correction",
            "registrar",
            on=date(2026, 3, 4),
            items="请写明文件名称",
            deadline_on="2026-03-12",
        )
        with pytest.raises(WrongState):  # awaiting the correction: no decision yet
            act(case, "propose", "liaison_a", on=date(2026, 3, 10), **proposal(disposition))
    elif source == "correction_lapsed":
        case = receive_flow(arrived=ARRIVED)
        act(case, "register", "registrar", on=ARRIVED)
        act(
            case,
            "request_correction",
            "registrar",
            on=date(2026, 3, 3),
            items="请写明文件名称",
            deadline_on="2026-03-13",
        )
        with pytest.raises(WrongState):  # before the deadline
            act(case, "abandon", "head", on=date(2026, 3, 13))
        with pytest.raises(WrongState):
            _issue(case, key, users)
    elif source in STEP_SOURCES:  # a notice of a step (the registry's step_events)
        case = investigating()
        with pytest.raises(WrongState):
            _issue(case, key, users)
    elif source == "notify_fee":
        case = investigating()
        with pytest.raises(WrongState):
            _issue(case, key, users)
        if key == "reply.other.fee_unpaid":
            with pytest.raises(WrongState):
                act(case, "abandon", "head", on=date(2026, 3, 12))
            assert propose_without().field == "disposition"
    elif source == "fee_lapsed":
        case = investigating()
        act(case, "notify_fee", "liaison_a", on=date(2026, 3, 4), method="per_page", quantity=150)
        with pytest.raises(WrongState):  # the 20 working days have not run out
            act(case, "abandon", "head", on=date(2026, 3, 16))
        with pytest.raises(WrongState):
            _issue(case, key, users, now=at(date(2026, 3, 16), 16))
    elif source == "approve":
        if disposition in ("other.no_correction", "other.fee_unpaid"):
            pytest.fail("deemed abandonments are decided by abandon, not approve")
        extra = {}
        if disposition == "not_processed.repeated":
            from tests.letters.decided import answered_case

            extra["earlier_case_number"] = answered_case(receive_flow, act, divisions, users).number
        if disposition == "unable.unclear_after_correction":
            case = receive_flow(arrived=ARRIVED)
            act(case, "register", "registrar", on=ARRIVED)
            act(
                case,
                "request_correction",
                "registrar",
                on=date(2026, 3, 3),
                items="请写明文件名称",
                deadline_on="2026-03-10",
            )
            act(case, "receive_correction", "registrar", on=date(2026, 3, 4))
            act(case, "assign", "reviewer", on=date(2026, 3, 4), lead_division_id=divisions["a"].pk)
            act(case, "claim", "liaison_a", on=date(2026, 3, 4))
        else:
            case = investigating()
        release_for(case, disposition, users)
        act(case, "propose", "liaison_a", on=date(2026, 3, 10), **proposal(disposition, **extra))
        with pytest.raises(WrongState, match="签"):  # proposed, not signed off
            _issue(case, key, users)
    elif source == "propose:reasons":
        error = propose_without("reasons")
        assert error.field == "reasons"
    elif source == "propose:where_published":
        assert propose_without("where_published").field == "where_published"
    elif source == "propose:withheld":
        assert propose_without("withheld").field == "withheld"
    elif source == "propose:search":
        assert propose_without("search_places", "search_systems").field == "search_places"
        assert propose_without("search_terms").field == "search_terms"
    elif source == "propose:responsible_organ":
        error = propose_without("responsible_organ", "responsible_contact")
        assert error.field == "responsible_organ"
    elif source == "propose:responsible_contact":
        assert propose_without("responsible_contact").field == "responsible_contact"
    elif source == "propose:earlier_case":
        assert propose_without().field == "earlier_case_number"
    elif source == "propose:explanation":
        assert propose_without("explanation_requested_on").field == "explanation_requested_on"
    elif source == "propose:provision":
        error = propose_without("arrangement", "arranged_on")
        assert "提供" in error.message
        assert propose_without("arranged_on").field == "arranged_on"
    elif source == "release:approved":
        error = propose_without()  # no records, no release set
        assert "公开文件" in error.message
    else:
        pytest.fail(f"no scenario for {source}")
