"""Issue 21 point 7, the defect as found: a vague request ("所有文件") went straight to "not
held" (Art 36(4)) and nothing suggested a correction notice (Art 30). Now such a proposal
warns and offers the correction first; a third-party refusal shows the Art 37 redaction option
and the Art 32 consultation status. Warnings, not blocks: the officer confirms with a reason,
and the proposal's event (the history) records the override."""

from datetime import date

import pytest
import time_machine

from casework.errors import InvalidInput
from casework.lifecycle.decision_warnings import THIRD_PARTY_REFUSAL, warnings_for
from casework.models import Case, Event
from casework.vague_request import is_vague
from tests.conftest import at

ON = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("subject", "vague"),
    [
        ("所有文件", True),
        ("相关材料", True),
        ("全部资料", True),
        ("请提供贵局所有的政府信息", True),
        ("2025年度退役士兵安置计划", False),
        ("济退役军人发〔2024〕3号", False),
        ("《济南市优抚对象抚恤补助办法》", False),
        ("军休所改造项目招标文件", False),
        ("本人的安置档案", False),
        ("退役士兵自主就业一次性经济补助标准", False),
    ],
)
def test_the_vague_request_detector(subject, vague):
    assert is_vague(subject) is vague


@pytest.fixture
def vague_case(receive_flow, act, divisions):
    case = receive_flow(arrived=date(2026, 3, 2))
    Case.objects.filter(pk=case.pk).update(subject="所有文件")  # the request as found
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    return case


NOT_HELD = {
    "disposition": "unable.not_held",
    "basis": "",
    "reasons": "经检索未找到",
    # Art 36(4): the search record (casework.decision_rules).
    "search_places": "档案室文书档案",
    "search_terms": "文件",
}


@pytest.mark.django_db
def test_a_vague_request_proposed_not_held_warns_and_offers_correction(
    vague_case, act, client, users
):
    case = vague_case
    # The propose page already says so, with the office's correction step for the office.
    client.force_login(users["liaison_a"])
    page = client.get(f"/work/cases/{case.number}/act/propose/").content.decode()
    assert "未写明文件名称、文号、时间、地点或具体事项" in page
    with pytest.raises(InvalidInput) as warned:
        act(case, "propose", "liaison_a", on=ON, **NOT_HELD)
    assert warned.value.field == "override_warnings"
    assert "第三十条" in warned.value.message
    assert "补正" in warned.value.message
    assert "已知悉，仍然提出该决定" in warned.value.message
    with pytest.raises(InvalidInput):  # ticked, but no reason
        act(case, "propose", "liaison_a", on=ON, override_warnings=True, **NOT_HELD)
    assert not Event.objects.filter(case=case, kind="propose").exists()

    act(
        case,
        "propose",
        "liaison_a",
        on=ON,
        override_warnings=True,
        override_reason="申请人电话中确认要求本局全部文件，已无法进一步明确",
        **NOT_HELD,
    )
    event = Event.objects.get(case=case, kind="propose")
    assert "第三十条" in event.payload["warnings_overridden"][0]
    assert event.payload["override_reason"] == "申请人电话中确认要求本局全部文件，已无法进一步明确"
    # The history shows it, and the reviewer is offered the correction (Art 30) instead.
    reviewer = client.__class__()
    reviewer.force_login(users["reviewer"])
    # Seen on the day, within the 7 working days a correction notice may still be given.
    with time_machine.travel(at(ON, 16), tick=False):
        html = reviewer.get(f"/cases/{case.number}/").content.decode()
    assert "已知悉的提示" in html
    assert "申请人电话中确认要求本局全部文件，已无法进一步明确" in html
    assert f"/work/cases/{case.number}/act/request_correction/" in html

    # Taking the better step: correction first, then nothing warns any more.
    act(
        case,
        "request_correction",
        "reviewer",
        on=ON,
        items="请写明所需文件的名称、年份或文号",
        deadline_on="2026-03-20",
    )
    case.refresh_from_db()
    assert case.status == "correction"


@pytest.mark.django_db
def test_without_override_nothing_is_recorded_for_a_specific_request(receive_flow, act, divisions):
    case = receive_flow(arrived=date(2026, 3, 2))  # "2025年度退役士兵安置计划"
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    act(case, "propose", "liaison_a", on=ON, **NOT_HELD)
    assert "warnings_overridden" not in Event.objects.get(case=case, kind="propose").payload


@pytest.mark.django_db
def test_a_third_party_refusal_shows_the_redaction_option_and_the_consultation(
    receive_flow, act, divisions, client, users
):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    refusal = {
        "disposition": "refused.third_party_rights",
        "basis": "",
        "reasons": "所申请信息涉及第三方个人隐私，公开会损害其合法权益。",
    }
    with pytest.raises(InvalidInput) as warned:
        act(case, "propose", "liaison_a", on=ON, **refusal)
    assert "第三十七条" in warned.value.message
    assert "第三十二条" in warned.value.message
    [warning] = warnings_for(Case.objects.get(pk=case.pk), refusal["disposition"], [])
    assert warning.code == THIRD_PARTY_REFUSAL
    assert "本案未征求第三方意见（第三十二条）。" in warning.details

    act(
        case,
        "open_consultation",
        "liaison_a",
        on=date(2026, 3, 4),
        party="third_party",
        party_name="济南鲁安物业服务有限公司",
        matter="合同报价",
    )
    consultation = Event.objects.get(case=case, kind="open_consultation").payload
    act(
        case,
        "close_consultation",
        "liaison_a",
        on=date(2026, 3, 6),
        consultation_id=consultation["consultation_id"],
        opinion="object",
        summary="报价属商业秘密",
    )
    act(
        case,
        "propose",
        "liaison_a",
        on=ON,
        override_warnings=True,
        override_reason="报价遍布全文，无法区分处理",
        **refusal,
    )
    reviewer = client.__class__()
    reviewer.force_login(users["reviewer"])
    form = reviewer.get(f"/work/cases/{case.number}/act/check/").content.decode()
    assert "第三十七条：第三方信息能够区分处理的" in form
    assert "济南鲁安物业服务有限公司（2026-03-04征求意见）：" in form
    assert "报价属商业秘密" in form
    assert "报价遍布全文，无法区分处理" in form
