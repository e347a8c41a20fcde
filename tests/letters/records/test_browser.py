"""A real browser (Playwright driving Debian's chromium): the officer uploads a record, draws
a box on a page, accepts the suggestions and builds the release set; the reviewer approves;
the reply is issued; the applicant downloads the released file from the tracking page."""

import hashlib
import re
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe

from casework.models import Case
from casework.portal import query_code_digest, query_code_new
from letters.records.models import Record, Redaction, ReleaseSet
from tests.browser.test_applicant_path import (
    assert_accessible,
    browser,  # noqa: F401  (the fixture)
)
from tests.letters.records.test_records import propose_partial


def log_in(browser, live_server, username):  # noqa: F811
    # Tall enough to show a whole A4 page picture (mouse events need it on screen).
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1800}).new_page()
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("pw-" + username)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    return page


@pytest.mark.django_db(transaction=True)
def test_draw_accept_approve_release_download(
    live_server,
    browser,  # noqa: F811
    receive_flow,
    act,
    divisions,
    users,
    text_pdf,
    tmp_path,
):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    base = f"{live_server.url}/work/cases/{case.number}/records/"

    officer = log_in(browser, live_server, "liaison_a")
    officer.goto(base)
    officer.get_by_label("文件").set_input_files(
        {"name": "report.pdf", "mimeType": "application/pdf", "buffer": text_pdf}
    )
    officer.get_by_label("标题", exact=True).fill("调查报告")
    with officer.expect_navigation():
        officer.get_by_role("button", name="上传").click()
    record = Record.objects.get(case=case)
    assert record.status == Record.Status.READY, record.error
    officer.goto(officer.url)  # processing finished in the upload's request here
    officer.get_by_role("link", name="调查报告").click()

    # Draw a box on page 1 with the mouse; the form takes the fractions of the page.
    assert_accessible(officer, Axe())
    sheet = officer.locator("#page-1 .sheet img")
    sheet.wait_for()
    box = sheet.bounding_box()
    officer.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.85)
    officer.mouse.down()
    officer.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.9, steps=5)
    officer.mouse.up()
    form = officer.locator("#page-1 form.box-form")
    assert abs(float(form.locator("input[name=x0]").input_value()) - 0.1) < 0.02
    assert abs(float(form.locator("input[name=y1]").input_value()) - 0.9) < 0.02
    form.get_by_label("理由").select_option("art16_2")
    with officer.expect_navigation():
        form.get_by_role("button", name="添加遮盖框").click()
    drawn = Redaction.objects.get(record=record, suggestion__isnull=True)
    assert drawn.ground == "art16_2"
    assert abs(drawn.x1 - 0.5) < 0.02

    with officer.expect_navigation():
        officer.get_by_role("button", name=re.compile("采纳本材料中的全部")).click()
    assert not record.suggestions.filter(accepted=False).exists()

    officer.goto(base)
    with officer.expect_navigation():
        officer.get_by_role("button", name="生成遮盖后的文件送审").click()
    release_set = ReleaseSet.objects.get(case=case)
    assert release_set.status == ReleaseSet.Status.IN_REVIEW, release_set.error

    propose_partial(case, act)
    reviewer = log_in(browser, live_server, "reviewer")
    reviewer.goto(base)
    reviewer.get_by_role("link", name="审核公开文件集").click()
    assert reviewer.locator("img[alt^='遮盖后第1页']").count() == 1
    reviewer.mouse.wheel(0, 5000)  # the pictures load lazily, as they come into view
    reviewer.wait_for_load_state("networkidle")
    # Every original and redacted page picture loads (side by side, 2 pages × 2).
    assert (
        reviewer.evaluate(
            "Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length"
        )
        == 4
    )
    assert_accessible(reviewer, Axe())
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name="批准公开").click()
    release_set.refresh_from_db()
    assert release_set.status == ReleaseSet.Status.APPROVED
    act(case, "check", "reviewer", on=date(2026, 3, 11))
    act(case, "approve", "head", on=date(2026, 3, 12))

    act(case, "issue_reply", "registrar")
    released = release_set.files.get()

    code = query_code_new()
    Case.objects.filter(pk=case.pk).update(query_code_digest=query_code_digest(case.number, code))
    applicant = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    applicant.goto(live_server.url + "/track/")
    applicant.get_by_label("申请编号").fill(case.number)
    applicant.get_by_label("查询码").fill(code)
    applicant.get_by_role("button", name="查询").click()
    applicant.wait_for_url(re.compile(rf".*/track/{case.number}/"))
    assert_accessible(applicant, Axe())  # the released files' list too
    with applicant.expect_download() as download_info:
        applicant.locator("#released a").first.click()
    path = tmp_path / "released.pdf"
    download_info.value.save_as(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == released.sha256
    officer.close()
