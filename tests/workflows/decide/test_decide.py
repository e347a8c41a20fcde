"""Issue 24 point 1: the review and sign-off forms show the proposal (per item), its draft
letter, and what changed after a return; a returned proposal reopens prefilled."""

from __future__ import annotations

from datetime import date

import pytest

from casework.choices import Disposition as D
from tests.casework.test_items import full_proposal, three_items  # noqa: F401
from tests.provision import BY_POST


@pytest.fixture
def claimed(receive_flow, act, divisions):
    case = receive_flow()
    act(case, "register", "registrar")
    act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a")
    return case


def _page(client, users, who, case, name):
    client.force_login(users[who])
    return client.get(f"/work/cases/{case.number}/act/{name}/")


@pytest.mark.django_db
def test_review_and_sign_off_show_the_proposal_and_its_draft(claimed, act, users, client):
    act(
        claimed,
        "propose",
        "liaison_a",
        disposition=D.GRANTED,
        basis="",
        reasons="该信息属于主动公开范围以外的本机关政府信息",
        files="《2025年退役士兵安置计划》",
        **BY_POST,
    )
    for who, name in (("reviewer", "check"), ("reviewer", "return_for_revision")):
        html = _page(client, users, who, claimed, name).content.decode()
        assert "拟作出的决定" in html or "拟办意见" in html
        assert "予以公开" in html
        assert "第三十六条第（二）项" in html
        assert "该信息属于主动公开范围以外的本机关政府信息" in html
        assert "《2025年退役士兵安置计划》" in html
        assert "邮寄" in html  # the provision, as its label
        assert f"/work/cases/{claimed.number}/decision-draft.pdf" in html
        assert f"/work/cases/{claimed.number}/decision-draft.png" in html
    act(claimed, "check", "reviewer", comment="同意")
    html = _page(client, users, "head", claimed, "approve").content.decode()
    assert "予以公开" in html
    assert "decision-draft.pdf" in html
    # The draft itself: the watermarked reply PDF, and the image of its pages.
    client.force_login(users["head"])
    pdf = client.get(f"/work/cases/{claimed.number}/decision-draft.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["X-Frame-Options"] == "DENY"
    image = client.get(f"/work/cases/{claimed.number}/decision-draft.png")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    from io import BytesIO

    from PIL import Image

    picture = Image.open(BytesIO(image.content))
    assert picture.width > 800  # an A4 page at 108 dpi
    assert picture.height > picture.width  # portrait, all pages one under the other


@pytest.mark.django_db
def test_a_returned_proposal_reopens_prefilled_and_the_reviewer_sees_the_changes(
    claimed, act, users, client
):
    act(
        claimed,
        "propose",
        "liaison_a",
        disposition=D.GRANTED,
        basis="",
        reasons="初稿理由",
        **BY_POST,
    )
    act(claimed, "return_for_revision", "reviewer", reason="请补充检索范围并改为当面领取")
    response = _page(client, users, "liaison_a", claimed, "propose")
    html = response.content.decode()
    form = response.context["form"]
    assert "请补充检索范围并改为当面领取" in html
    assert html.index("请补充检索范围并改为当面领取") < html.index(
        '<form method="post" class="card"'
    )
    assert form.initial["disposition"] == D.GRANTED
    assert form.initial["basis"] == "36.2"
    assert form.initial["reasons"] == "初稿理由"
    assert form.initial["arrangement"] == "post"
    assert '<option value="granted" selected>' in html
    assert "初稿理由</textarea>" in html
    # The revised proposal: the reviewer's page says what changed, in words.
    act(
        claimed,
        "propose",
        "liaison_a",
        disposition=D.GRANTED,
        basis="",
        reasons="修改后的理由",
        arrangement="inspection",
        arranged_on="2026-03-20",
        arranged_place="市退役军人事务局一楼",
    )
    html = _page(client, users, "reviewer", claimed, "check").content.decode()
    assert "与上一轮相比的变化" in html
    changes = _page(client, users, "reviewer", claimed, "check").context["facts"].changes
    labels = {label: (before, after) for label, before, after in changes}
    assert labels["理由"] == ("初稿理由", "修改后的理由")
    assert "邮寄" in labels["其他提供方式"][0] or "邮寄" in str(labels)
    assert "请补充检索范围并改为当面领取" in html
    # Nothing of the proposal is offered on a page that decides nothing.
    assert (
        "decision-facts"
        not in _page(client, users, "liaison_a", claimed, "give_opinion").content.decode()
    )


@pytest.mark.django_db
def test_a_multi_item_proposal_shows_each_item_and_reopens_per_item(
    three_items,  # noqa: F811
    act,
    users,
    client,
):
    act(three_items, "propose", "liaison_a", on=date(2026, 3, 10), items=full_proposal())
    html = _page(client, users, "reviewer", three_items, "check").content.decode()
    facts = _page(client, users, "reviewer", three_items, "check").context["facts"]
    assert [i.position for i in facts.items] == [1, 2, 3]
    assert "无法提供" in html or "本机关不掌握" in html
    assert "检索的场所或档案" in html
    act(
        three_items,
        "return_for_revision",
        "reviewer",
        on=date(2026, 3, 10),
        reason="第2项请补充检索系统",
    )
    response = _page(client, users, "liaison_a", three_items, "propose")
    initial = response.context["form"].initial["items"]
    assert [i["position"] for i in initial] == [1, 2, 3]
    assert all(i["basis"] and not i["basis"].startswith("《") for i in initial)
    html = response.content.decode()
    assert "第2项请补充检索系统" in html
    # Each item's block is prefilled: the outcome of item 3 is selected.
    assert 'name="items-3-disposition"' in html
    assert 'value="refused.internal_affairs" selected' in html


@pytest.mark.django_db
def test_the_changes_of_a_multi_item_proposal_name_the_item(
    three_items,  # noqa: F811
    act,
    users,
    client,
):
    act(three_items, "propose", "liaison_a", on=date(2026, 3, 10), items=full_proposal())
    act(three_items, "return_for_revision", "reviewer", on=date(2026, 3, 10), reason="补充")
    revised = full_proposal()
    revised[1]["search_period"] = "2020年1月至2025年12月"
    act(three_items, "propose", "liaison_a", on=date(2026, 3, 11), items=revised)
    facts = _page(client, users, "reviewer", three_items, "check").context["facts"]
    assert facts.return_reason == "补充"
    assert [(label, before, after) for label, before, after in facts.changes] == [
        ("第2项“落实情况” · 检索的时间范围", "", "2020年1月至2025年12月")
    ]
