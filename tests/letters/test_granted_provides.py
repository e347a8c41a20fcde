"""Issue 21 point 2, the defect as found: a granted reply was issued with no file — the letter
said "本机关向您提供该政府信息…获取方式为网上获取", the tracking page had nothing to download.
Now a granted proposal that provides nothing is refused; one that arranges an inspection (or
posting) says so in the letter and on the tracking page, and attaches nothing."""

from datetime import date

import pytest

from casework.errors import InvalidInput, WrongState
from casework.models import Event
from letters.models import Letter
from tests.letters.test_letters import _clean, pdf_text


@pytest.fixture
def investigating(receive_flow, act, divisions):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    return case


@pytest.mark.django_db
def test_granted_with_nothing_provided_is_refused_and_an_inspection_is_written_out(
    investigating, act, client, tmp_path
):
    case = investigating
    on = date(2026, 3, 10)
    # The defect's proposal: granted, a list of files typed in, nothing attached or arranged.
    with pytest.raises(WrongState) as refused:
        act(case, "propose", "liaison_a", on=on, disposition="granted", files="安置计划1份")
    assert "予以公开的答复必须向申请人提供信息" in refused.value.message
    assert not Event.objects.filter(case=case, kind="propose").exists()
    # An arrangement needs its date, and an inspection its place.
    with pytest.raises(InvalidInput) as refused:
        act(case, "propose", "liaison_a", on=on, disposition="granted", arrangement="inspection")
    assert refused.value.field in ("arranged_on", "arranged_place")

    act(
        case,
        "propose",
        "liaison_a",
        on=on,
        disposition="granted",
        files="《2025年度退役士兵安置计划》",
        arrangement="inspection",
        arranged_on="2026-03-20",
        arranged_place="本机关政务公开办公室（龙奥北路1号）",
    )
    proposal = Event.objects.get(case=case, kind="propose").payload
    assert proposal["arrangement"] == "inspection"
    assert proposal["arranged_on"] == "2026-03-20"
    act(case, "check", "reviewer", on=date(2026, 3, 11))
    act(case, "approve", "head", on=date(2026, 3, 12))
    act(case, "issue_reply", "registrar")

    # The corrected letter text: what is provided, where and when to inspect it, no 附件.
    letter = Letter.objects.get(case=case)
    assert letter.context["files"] == ""
    text = _clean(pdf_text(letter.pdf.read(), tmp_path))
    assert "本机关向您提供该政府信息（《2025年度退役士兵安置计划》）。" in text
    assert "请您于2026年3月20日到本机关政务公开办公室（龙奥北路1号）查阅。" in text
    assert "获取方式为" not in text
    assert "附件：" not in text

    # The tracking page says the same instead of an empty download list.
    session = client.session
    session["portal_tracked_cases"] = [case.number]
    session.save()
    track = client.get(f"/track/{case.number}/").content.decode()
    assert "请您于2026年3月20日到本机关政务公开办公室（龙奥北路1号）查阅。" in track


@pytest.mark.django_db
def test_granted_by_post_or_where_published(investigating, act, tmp_path):
    case = investigating
    act(
        case,
        "propose",
        "liaison_a",
        on=date(2026, 3, 10),
        disposition="granted",
        where_published="本机关门户网站“政府信息公开—规划计划”栏目",
        arrangement="post",
        arranged_on="2026-03-13",
    )
    act(case, "check", "reviewer", on=date(2026, 3, 11))
    act(case, "approve", "head", on=date(2026, 3, 12))
    act(case, "issue_reply", "registrar")
    text = _clean(pdf_text(Letter.objects.get(case=case).pdf.read(), tmp_path))
    assert "该政府信息已于2026年3月13日邮寄给您。" in text
    assert "您可以通过以下途径获取：本机关门户网站“政府信息公开—规划计划”栏目。" in text
