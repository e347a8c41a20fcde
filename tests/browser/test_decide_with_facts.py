"""Issue 24 points 1 and 9 in a real browser (Chromium under the real CSP): the reviewer goes
from the queue straight to the 审核通过 form of a proposal that was returned once and revised;
the form shows the proposal, what changed since the last round and the draft reply (an image of
its pages, the PDF linked); a 常用语 chosen from the list lands in the comment; the review is submitted.
The liaison officer's returned form reopened prefilled first. axe-core on each page; screenshots
at 1280 and 390 px go to STAFF_SCREENSHOTS (var/shots, not committed)."""

from __future__ import annotations

import re

import pytest

from casework.choices import Disposition as D
from casework.models import Case, Event
from tests.browser.test_applicant_path import browser  # noqa: F401
from tests.browser.test_staff_path import Walk, shots  # noqa: F401
from tests.provision import BY_POST
from workflows.decide.phrases import CommonPhrase


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.django_db(transaction=True)
def test_the_reviewer_decides_with_the_proposal_and_its_draft_in_view(
    live_server,
    browser,  # noqa: F811
    organ,
    divisions,
    users,
    receive_flow,
    act,
    shots,  # noqa: F811
    width,
):
    case = receive_flow()
    act(case, "register", "registrar")
    act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a")
    act(
        case, "propose", "liaison_a", disposition=D.GRANTED, basis="", reasons="初稿理由", **BY_POST
    )
    act(case, "return_for_revision", "reviewer", reason="请写明拟提供的文件名称")
    CommonPhrase.objects.create(organ=organ, text="经审核，同意承办处室意见。")
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    walk = Walk(context.new_page(), live_server.url, width, shots)
    page = walk.page

    # The liaison officer: the returned proposal reopens prefilled, the reason on top.
    walk.log_in("liaison_a")
    page.goto(f"{live_server.url}/work/cases/{case.number}/act/propose/")
    assert "请写明拟提供的文件名称" in page.locator("#returned-proposal").inner_text()
    assert page.get_by_label(re.compile(r"^处理结果")).input_value() == "granted"
    assert page.get_by_label("理由", exact=True).input_value() == "初稿理由"
    assert page.get_by_label("其他提供方式").input_value() == "post"
    walk.check("decide-returned-propose")
    page.get_by_label("拟提供的文件").fill("《2025年退役士兵安置计划》")
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_url(re.compile(r".*/cases/[^/]+/$"))
    assert Case.objects.get(pk=case.pk).status == "review"

    # The reviewer: from the queue straight to the review form.
    walk.log_in("reviewer")
    page.goto(f"{live_server.url}/work/?tab=office")
    page.get_by_role("link", name=re.compile(rf"^审核通过 {case.number}$")).click()
    page.wait_for_url(re.compile(r".*/act/check/$"))
    facts = page.locator("#decision-facts")
    text = facts.inner_text()
    assert "予以公开" in text
    assert "第三十六条第（二）项" in text
    assert "《2025年退役士兵安置计划》" in text
    assert "邮寄" in text
    changes = facts.locator("table.changes").inner_text()
    assert "拟提供的文件" in changes
    assert "请写明拟提供的文件名称" in text
    draft = facts.locator("img.letter-draft")
    draft.scroll_into_view_if_needed()
    # The image of the draft has loaded (not a broken image) and fits the screen's width.
    # (Polled from here: the page's CSP forbids the eval of wait_for_function.)
    natural = 0
    for _ in range(100):
        natural = draft.evaluate("img => img.complete ? img.naturalWidth : 0")
        if natural:
            break
        page.wait_for_timeout(100)
    assert natural > 800, natural
    assert draft.bounding_box()["width"] <= width
    pdf_link = facts.get_by_role("link", name="在新窗口打开样稿（PDF）")
    fetched = page.request.get(live_server.url + pdf_link.get_attribute("href"))
    assert fetched.status == 200
    assert fetched.headers["content-type"] == "application/pdf"
    assert fetched.body().startswith(b"%PDF")
    walk.check("decide-review-form")

    # A saved phrase goes into the comment.
    picker = page.get_by_label("常用语").first
    picker.select_option("经审核，同意承办处室意见。")
    assert page.get_by_label(re.compile(r"^意见")).input_value() == "经审核，同意承办处室意见。"
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_url(re.compile(r".*/cases/[^/]+/$"))
    check = Event.objects.get(case=case, kind="check")
    assert check.payload["comment"] == "经审核，同意承办处室意见。"

    # The head's sign-off form shows the same; the 已办 list has the reviewer's steps.
    walk.log_in("head")
    page.goto(f"{live_server.url}/work/cases/{case.number}/act/approve/")
    assert "予以公开" in page.locator("#decision-facts").inner_text()
    walk.check("decide-sign-off-form")
    walk.log_in("reviewer")
    page.goto(f"{live_server.url}/work/done/")
    rows = page.locator("table.done-list tbody tr")
    assert rows.first.inner_text().split("\t")[1].strip() == "审核通过"
    walk.check("decide-done-list")
    context.close()
