"""Issue 21's defects, each reproduced by its step sequence: the decision is refused, and the
corrected decision's letter (its PDF, read back with pdftotext) states what it must."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest

from casework.errors import InvalidInput, WrongState
from letters.models import Letter
from letters.prose import as_clause, as_sentence
from letters.services import letter_issue
from tests.conftest import NOW, person
from tests.letters.decided import ARRIVED, answered_case, proposal
from tests.provision import BY_POST


def letter_text(letter: Letter, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(letter.pdf.read())
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return "".join(out.stdout.split())


@pytest.fixture
def investigating(receive_flow, act, divisions):
    def _investigating(**kwargs):
        case = receive_flow(arrived=ARRIVED, **kwargs)
        act(case, "register", "registrar", on=ARRIVED)
        act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
        act(case, "claim", "liaison_a", on=date(2026, 3, 3))
        return case

    return _investigating


@pytest.fixture
def reply(act, users, tmp_path):
    """Propose `fields`, review, sign off, issue the reply; its text."""

    def _reply(case, **fields):
        act(case, "propose", "liaison_a", on=date(2026, 3, 10), **fields)
        act(case, "check", "reviewer", on=date(2026, 3, 11))
        act(case, "approve", "head", on=date(2026, 3, 12))
        letter = letter_issue(
            number=case.number,
            kind=f"reply.{fields['disposition']}",
            actor=users["registrar"],
            now=NOW,
        )
        return letter_text(letter, tmp_path)

    return _reply


@pytest.mark.django_db
def test_unclear_after_correction_needs_a_correction_requested_and_received(
    investigating, receive_flow, act, divisions, reply, users
):
    # Found: accepted on a case where no correction was ever requested; the letter read
    # "本机关已于告知您补正申请内容" with the date missing.
    case = investigating()
    with pytest.raises(InvalidInput) as excinfo:
        act(
            case,
            "propose",
            "liaison_a",
            on=date(2026, 3, 10),
            **proposal("unable.unclear_after_correction"),
        )
    assert excinfo.value.field == "disposition"
    assert "补正" in excinfo.value.message
    # A case signed off before the rule (its disposition set without the correction) gets no
    # letter either: the letter's facts are checked against the ledger before numbering.
    granted = investigating()
    act(granted, "propose", "liaison_a", on=date(2026, 3, 10), disposition="granted", **BY_POST)
    act(granted, "check", "reviewer", on=date(2026, 3, 11))
    act(granted, "approve", "head", on=date(2026, 3, 12))
    type(granted).objects.filter(pk=granted.pk).update(
        disposition="unable.unclear_after_correction"
    )
    with pytest.raises(WrongState, match="补正"):
        letter_issue(
            number=granted.number,
            kind="reply.unable.unclear_after_correction",
            actor=users["registrar"],
            now=NOW,
        )
    # Corrected: requested on 3 March, received on 5 March; the letter states both dates.
    corrected = receive_flow(arrived=ARRIVED)
    act(corrected, "register", "registrar", on=ARRIVED)
    act(
        corrected,
        "request_correction",
        "registrar",
        on=date(2026, 3, 3),
        items="请写明所需文件的名称",
        deadline_on="2026-03-10",
    )
    act(corrected, "receive_correction", "registrar", on=date(2026, 3, 5))
    act(corrected, "assign", "reviewer", on=date(2026, 3, 5), lead_division_id=divisions["a"].pk)
    act(corrected, "claim", "liaison_a", on=date(2026, 3, 5))
    text = reply(corrected, **proposal("unable.unclear_after_correction"))
    assert (
        "本机关已于2026年3月3日告知您补正申请内容，您于2026年3月5日提交补正材料，"
        "经补正后您的申请内容仍不明确" in text
    )
    assert "已于告知" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "placeholder", ["无", "略", "同上", "N/A", "/", "啊啊啊", "。。", "属于过程信息"]
)
def test_refusal_reasons_must_be_reasons(investigating, act, reply, placeholder):
    # Found: refused.process_information with reasons "无" passed; the letter printed
    # "本机关决定不予公开。理由：无".
    case = investigating()
    with pytest.raises(InvalidInput) as excinfo:
        act(
            case,
            "propose",
            "liaison_a",
            on=date(2026, 3, 10),
            **proposal("refused.process_information", reasons=placeholder),
        )
    assert excinfo.value.field == "reasons"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in excinfo.value.message)
    if placeholder != "无":
        return
    # Corrected: real reasons, typed without a closing mark and with a trailing 、.
    text = reply(
        case,
        **proposal(
            "refused.process_information",
            reasons="所申请的报告系内部讨论形成的征求意见稿，尚未定稿、",
        ),
    )
    assert "理由：所申请的报告系内部讨论形成的征求意见稿，尚未定稿。" in text
    assert "理由：无" not in text


SEARCH = {
    "search_places": "档案室文书档案",
    "search_systems": "OA办公系统",
    "search_period": "2024年1月至2026年3月",
    "search_terms": "安置计划、落实",
}


@pytest.mark.django_db
def test_not_held_shows_where_and_how_the_organ_searched(investigating, act, reply):
    # Found: unable.not_held passed with no search record, and `searched` was never printed.
    case = investigating()
    with pytest.raises(InvalidInput) as excinfo:
        act(
            case,
            "propose",
            "liaison_a",
            on=date(2026, 3, 10),
            disposition="unable.not_held",
            searched="档案室",
        )
    assert excinfo.value.field == "search_places"
    assert set(excinfo.value.errors) >= {"search_places", "search_terms"}
    with pytest.raises(InvalidInput) as excinfo:
        act(
            case,
            "propose",
            "liaison_a",
            on=date(2026, 3, 10),
            **proposal("unable.not_held", search_terms="无"),
        )
    assert excinfo.value.field == "search_terms"
    text = reply(case, disposition="unable.not_held", **SEARCH)
    assert (
        "经检索本机关档案室文书档案、OA办公系统，以“安置计划”“落实”等为关键词，"
        "检索2024年1月至2026年3月期间的文件资料，未找到您申请获取的政府信息。" in text
    )


@pytest.mark.django_db
def test_not_this_organ_names_the_organ_and_its_contact(investigating, act, reply):
    # Found: only the organ's name was required; the letter had no contact, and the officer's
    # reason ran into the next sentence ("…不属于本机关根据…").
    case = investigating()
    with pytest.raises(InvalidInput) as excinfo:
        act(
            case,
            "propose",
            "liaison_a",
            on=date(2026, 3, 10),
            disposition="unable.not_this_organ",
            reasons="该信息由济南市民政局制作并保存",
            responsible_organ="济南市民政局",
        )
    assert excinfo.value.field == "responsible_contact"
    text = reply(
        case,
        disposition="unable.not_this_organ",
        reasons="该信息由济南市民政局制作并保存，不属于本机关",
        responsible_organ="济南市民政局",
        responsible_contact="0531-86081234",
    )
    assert "不属于本机关。根据" in text
    assert (
        "负责公开该政府信息的行政机关为济南市民政局，联系方式：0531-86081234，"
        "您可以向其提出申请。" in text
    )


@pytest.mark.django_db
def test_not_this_organ_when_no_organ_can_be_determined(investigating, act, reply):
    case = investigating()
    with pytest.raises(InvalidInput) as excinfo:
        act(
            case,
            "propose",
            "liaison_a",
            on=date(2026, 3, 10),
            disposition="unable.not_this_organ",
            reasons="该信息不属于本机关的职责范围",
            responsible_unknown="无",
        )
    assert excinfo.value.field == "responsible_unknown"
    text = reply(
        case,
        disposition="unable.not_this_organ",
        reasons="该信息不属于本机关的职责范围",
        responsible_unknown="该事项涉及多个部门且未明确主管机关，本机关无法确定制作或保存该信息的机关",
    )
    assert "本机关无法确定制作或保存该信息的机关。根据" in text
    assert "经查，无法确定负责公开该政府信息的行政机关。" in text
    assert "您可以向其提出申请" not in text


@pytest.mark.django_db
def test_repeated_names_the_earlier_reply(
    investigating, receive_flow, act, divisions, users, reply
):
    # Found: not_processed.repeated needed no link to the earlier case; the letter said
    # "本机关已就您申请的同一政府信息作出答复" with no date or number.
    case = investigating()
    refusals = []

    def refused(**fields):
        with pytest.raises(InvalidInput) as excinfo:
            act(
                case,
                "propose",
                "liaison_a",
                on=date(2026, 3, 10),
                **proposal("not_processed.repeated", **fields),
            )
        assert excinfo.value.field == "earlier_case_number"
        refusals.append(excinfo.value.message)

    refused()  # no earlier case named
    refused(earlier_case_number="2099-9999")  # no such case
    refused(earlier_case_number=case.number)  # itself
    other = answered_case(
        receive_flow,
        act,
        divisions,
        users,
        applicant=person(name="李四", id_number="11010519491231002X"),
    )
    refused(earlier_case_number=other.number)  # another applicant
    pending = receive_flow(arrived=date(2026, 2, 2))  # same applicant, never answered
    refused(earlier_case_number=pending.number)
    assert "申请人" in refusals[3]
    assert "尚未出具答复书" in refusals[4]
    earlier = answered_case(receive_flow, act, divisions, users)
    letter = Letter.objects.get(case=earlier)
    text = reply(case, **proposal("not_processed.repeated", earlier_case_number=earlier.number))
    assert (
        f"本机关已于2026年2月6日以《政府信息公开申请答复书》（{letter.number}）"
        f"就您申请的同一政府信息作出答复（申请编号：{earlier.number}），您再次申请。" in text
    )


@pytest.mark.django_db
def test_repeated_needs_the_earlier_reply_before_this_receipt(receive_flow, act, divisions, users):
    # The earlier case was answered on 6 February; an application received that day is not a
    # repetition of it (the applicant had not had the answer).
    earlier = answered_case(receive_flow, act, divisions, users)
    case = receive_flow(arrived=date(2026, 2, 6))
    act(case, "register", "registrar", on=date(2026, 2, 6))
    act(case, "assign", "reviewer", on=date(2026, 2, 9), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 2, 9))
    with pytest.raises(InvalidInput) as excinfo:
        act(
            case,
            "propose",
            "liaison_a",
            on=date(2026, 2, 10),
            **proposal("not_processed.repeated", earlier_case_number=earlier.number),
        )
    assert "不早于本申请的收到日期" in excinfo.value.message


@pytest.mark.parametrize(
    ("typed", "sentence", "clause"),
    [
        ("不属于本机关", "不属于本机关。", "不属于本机关"),
        ("不属于本机关；", "不属于本机关。", "不属于本机关"),
        ("理由如下，", "理由如下。", "理由如下"),
        ("已经公开。。", "已经公开。", "已经公开"),
        ("见“通知”。", "见“通知”。", "见“通知”"),
        ("见“通知。”", "见“通知。”", "见“通知。”"),
        ("见“通知”", "见“通知”。", "见“通知”"),
        ("是否属实？", "是否属实？", "是否属实"),
        ("  ", "", ""),
    ],
)
def test_officers_text_is_set_as_a_sentence_or_a_clause(typed, sentence, clause):
    assert as_sentence(typed) == sentence
    assert as_clause(typed) == clause
