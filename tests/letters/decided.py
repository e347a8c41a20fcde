"""Cases decided as the rules of issue 21 require, one per disposition, through the workflow's
services: every procedural fact the reply states is in the ledger (the correction requested and
received, the earlier case answered, the search record, the contact, the deadline passed)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from casework.choices import Disposition as D
from casework.models import Case
from tests.conftest import NOW, at
from tests.provision import BY_POST, approved_release_set

REASONS = "经依法审查，作出本决定的理由如上所述。"
ARRIVED = date(2026, 3, 2)

# What a valid proposal of each disposition carries beyond its basis (facts of other cases
# and of the ledger are made by `decided`).
FIELDS: dict[str, dict[str, Any]] = {
    D.GRANTED_ALREADY_PUBLISHED: {"where_published": "本机关门户网站“政府信息公开”栏目"},
    D.PARTIAL: {"withheld": "第五条报价明细涉及商业秘密，依法不予公开"},
    D.UNABLE_NOT_HELD: {
        "search_places": "档案室文书档案",
        "search_systems": "OA办公系统",
        "search_period": "2024年1月至2026年3月",
        "search_terms": "安置计划 落实",
    },
    D.UNABLE_NOT_THIS_ORGAN: {
        "responsible_organ": "济南市人力资源和社会保障局",
        "responsible_contact": "0531-12345678",
    },
    D.NOT_PROCESSED_UNREASONABLE: {"explanation_requested_on": "2026-03-05"},
}


def proposal(disposition: str, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"disposition": disposition, "basis": ""}
    if disposition.startswith(("refused.", "unable.", "not_processed.")):
        data["reasons"] = REASONS
    data.update(FIELDS.get(disposition, {}))
    data.update(fields)
    if disposition == D.GRANTED and not data.get("where_published"):
        data = {**BY_POST, **data}  # granted: posted to the applicant (Art 40)
    if disposition == D.REFUSED_THIRD_PARTY_RIGHTS:  # the Art 37/32 warning, confirmed
        data.setdefault("override_warnings", True)
        data.setdefault("override_reason", "第三方不同意公开，且无法区分处理")
    return data


def release_for(case: Case, disposition: str, users: Any) -> None:
    """A partial decision's approved release set (issue 21: release follows approval)."""
    if disposition == D.PARTIAL:
        approved_release_set(case, officer=users["liaison_a"], reviewer=users["reviewer"])


def answered_case(receive_flow: Any, act: Any, divisions: Any, users: Any, **kwargs: Any) -> Case:
    """An earlier case of the same applicant, granted, its reply issued on 2026-02-06."""
    from letters.services import letter_issue

    case = receive_flow(arrived=date(2026, 2, 2), **kwargs)
    act(case, "register", "registrar", on=date(2026, 2, 2))
    act(case, "assign", "reviewer", on=date(2026, 2, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 2, 3))
    act(
        case,
        "propose",
        "liaison_a",
        on=date(2026, 2, 4),
        disposition="granted",
        basis="",
        **{**BY_POST, "arranged_on": "2026-02-05"},
    )
    act(case, "check", "reviewer", on=date(2026, 2, 5))
    act(case, "approve", "head", on=date(2026, 2, 5))
    letter_issue(
        number=case.number, kind="reply.granted", actor=users["registrar"], now=at(date(2026, 2, 6))
    )
    case.refresh_from_db()
    return case


def decided(
    receive_flow: Any, act: Any, divisions: Any, users: Any, disposition: str, **fields: Any
) -> tuple[Case, datetime]:
    """A case whose reply of `disposition` can be issued, and the moment to issue it."""
    from workflows.services import case_act

    case = receive_flow(arrived=ARRIVED)
    act(case, "register", "registrar", on=ARRIVED)
    if disposition == D.OTHER_NO_CORRECTION:
        act(
            case,
            "request_correction",
            "registrar",
            on=date(2026, 3, 3),
            items="请写明所需文件的名称",
            deadline_on="2026-03-10",
        )
        act(case, "abandon", "head", on=date(2026, 3, 11), reason="逾期未补正")
        case.refresh_from_db()
        return case, NOW
    if disposition == D.UNABLE_UNCLEAR_AFTER_CORRECTION:
        act(
            case,
            "request_correction",
            "registrar",
            on=date(2026, 3, 3),
            items="请写明所需文件的名称",
            deadline_on="2026-03-10",
        )
        act(case, "receive_correction", "registrar", on=date(2026, 3, 5))
    if disposition == D.NOT_PROCESSED_REPEATED and "earlier_case_number" not in fields:
        fields["earlier_case_number"] = answered_case(receive_flow, act, divisions, users).number
    act(case, "assign", "reviewer", on=date(2026, 3, 5), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 5))
    if disposition == D.OTHER_FEE_UNPAID:
        act(case, "notify_fee", "liaison_a", on=date(2026, 3, 6), method="per_page", quantity=150)
        later = at(date(2026, 4, 20), 15)
        case_act(
            number=case.number,
            name="abandon",
            actor=users["head"],
            on=later.date(),
            fields={"reason": "逾期未缴费"},
            now=later,
        )
        case.refresh_from_db()
        return case, later
    records = fields.pop("records", False)
    # Release follows approval (issue 21 point 1): a partial decision, or a granted one on a
    # case with records, carries an approved release set; a granted one says how it provides.
    if disposition == D.PARTIAL or (disposition == D.GRANTED and records):
        approved_release_set(case, officer=users["liaison_a"], reviewer=users["reviewer"])
        if disposition == D.GRANTED:
            fields.setdefault("arrangement", "")
    data = proposal(disposition, **fields)
    if not data.get("arrangement"):
        data.pop("arrangement", None)
        data.pop("arranged_on", None)
    act(case, "propose", "liaison_a", on=date(2026, 3, 10), **data)
    act(case, "check", "reviewer", on=date(2026, 3, 11))
    act(case, "approve", "head", on=date(2026, 3, 12))
    case.refresh_from_db()
    return case, NOW
