"""Issue 21, point 6: the reply to the three-item request answers every item, in order, under
one number, with the remedy clause once (the reconsideration-first clause for the item refused
under Art 16, the ordinary clause for the rest)."""

import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest

from casework.choices import Disposition as D
from letters.models import Letter
from letters.services import letter_issue
from tests.casework.test_items import full_proposal, receive_three
from tests.conftest import NOW


@pytest.fixture
def approved_three(organ, users, act, divisions):
    case = receive_three(organ, users)
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    act(case, "propose", "liaison_a", on=date(2026, 3, 10), items=full_proposal())
    act(case, "check", "reviewer", on=date(2026, 3, 11))
    act(case, "approve", "head", on=date(2026, 3, 12))
    case.refresh_from_db()
    return case


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "letter.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
    return "".join(out.split())  # lines wrap anywhere in Chinese


@pytest.mark.django_db
def test_the_reply_answers_all_three_items_in_order_under_one_number(approved_three, users):
    assert approved_three.disposition == D.PARTIAL
    letter = letter_issue(
        number=approved_three.number, kind="reply.partial", actor=users["registrar"], now=NOW
    )
    assert Letter.objects.filter(case=approved_three).count() == 1
    context = letter.context
    assert [i["text"] for i in context["items"]] == [
        "本市退役士兵安置计划",
        "落实情况",
        "资金使用明细",
    ]
    paragraphs = context["item_paragraphs"]
    assert paragraphs[0] == "现对您申请的3项内容分别答复如下："
    assert paragraphs[1].startswith(
        "一、关于“本市退役士兵安置计划”：经审查，您申请获取的政府信息属于公开范围。"
    )
    assert "第三十六条第（二）项" in paragraphs[1]
    # What item 1 provides and how (issue 21 point 2): posted on its date, no 附件 list of
    # free text.
    assert "本机关向您提供该政府信息（《2025年退役士兵安置计划》）。" in paragraphs[1]
    assert "该政府信息已于2026年3月20日邮寄给您。" in paragraphs[1]
    heads = [p for p in paragraphs if p[:2] in ("一、", "二、", "三、")]
    assert [h[:2] for h in heads] == ["一、", "二、", "三、"]
    # The item's own search record is printed in its paragraph (Art 36(4)).
    assert heads[1].startswith("二、关于“落实情况”：经检索本机关移交安置处业务档案、OA办公系统")
    assert "“安置”“落实情况”" in heads[1]
    assert heads[2].startswith(
        "三、关于“资金使用明细”：经审查，您申请获取的政府信息属于人事管理、后勤管理"
    )
    text = pdf_text(letter.pdf.read())
    assert text.count("收到您") == 1  # the receipt sentence once
    positions = [text.index(s) for s in ("一、关于", "二、关于", "三、关于")]
    assert positions == sorted(positions)
    assert "资金使用明细属于本机关内部财务管理信息" in text
    # One remedy clause: reconsideration first for the part not disclosed (item 3, Art 16),
    # the ordinary clause for the rest (items 1 and 2).
    assert text.count("申请行政复议") == 2
    assert "对本答复中不予公开的部分不服的，应当先" in text
    assert "对本答复其他内容不服的" in text
    assert "附件：" not in text
    assert text.count(letter.number) >= 1  # one letter, one number


@pytest.mark.django_db
def test_items_without_a_refusal_keep_the_ordinary_clause(organ, users, act, divisions):
    case = receive_three(organ, users, subject="1. 安置计划 2. 落实情况")
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    act(case, "propose", "liaison_a", on=date(2026, 3, 10), items=full_proposal()[:2])
    act(case, "check", "reviewer", on=date(2026, 3, 11))
    act(case, "approve", "head", on=date(2026, 3, 12))
    case.refresh_from_db()
    letter = letter_issue(
        number=case.number, kind="reply.partial", actor=users["registrar"], now=NOW
    )
    text = pdf_text(letter.pdf.read())
    assert "应当先" not in text
    assert "如对本答复不服，可以自收到本答复书之日起60日内" in text
    assert "一、关于“安置计划”" in text
    assert "二、关于“落实情况”" in text


@pytest.mark.django_db
def test_letter_sample_of_three_items(tmp_path, organ):
    from django.core.management import call_command

    out = tmp_path / "items.pdf"
    call_command("letter_sample", "reply.partial", "--items", "--out", str(out))
    text = pdf_text(out.read_bytes())
    positions = [text.index(f"{n}、关于") for n in "一二三"]
    assert positions == sorted(positions)
    assert text.count("特此告知") == 1
