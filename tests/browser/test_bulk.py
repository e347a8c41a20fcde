"""The case list's bulk bar and saved views in a real browser (issue 14 point 5): the "select
all on this page" box ticks every row (workbench/bulk.js under the real CSP), a bulk claim
shows one result row per case, and a filter is saved and listed; axe-core on both pages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from casework.models import Event
from tests.browser.test_applicant_path import assert_accessible, browser  # noqa: F401


@pytest.mark.django_db(transaction=True)
def test_select_page_bulk_claim_and_saved_view(
    live_server,
    browser,  # noqa: F811
    receive_flow,
    act,
    divisions,
    users,
):
    cases = []
    for _i in range(3):
        case = receive_flow()
        act(case, "register", "registrar")
        act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk)
        cases.append(case)
    axe = Axe()
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill("liaison_a")
    page.get_by_label("密码").fill("pw-liaison_a")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/work/")
    page.goto(live_server.url + "/cases/?status=handling")
    assert_accessible(page, axe)
    page.get_by_label("视图名称").fill("待认领")
    page.get_by_role("button", name="保存当前筛选").click()
    page.wait_for_url(live_server.url + "/cases/?status=handling")
    assert page.locator("strong[aria-current]").inner_text() == "待认领"
    page.get_by_label("全选本页").check()
    for case in cases:
        assert page.get_by_label(f"选择案件 {case.number}").is_checked()
    page.get_by_label("要执行的操作").select_option("claim")
    page.get_by_role("button", name="对勾选的案件执行").click()
    # The POST redirects to its result page (a GET: reloading it acts on nothing again).
    page.wait_for_url(re.compile(re.escape(live_server.url) + r"/cases/bulk/[\w-]+/$"))
    assert "3 件成功（共 3 件）" in page.content()
    assert page.locator("tr.bulk-ok").count() == 3
    assert_accessible(page, axe)
    assert Event.objects.filter(kind="claim", actor=users["liaison_a"]).count() == 3
    page.reload()
    assert page.locator("tr.bulk-ok").count() == 3
    assert Event.objects.filter(kind="claim", actor=users["liaison_a"]).count() == 3
    page.get_by_role("link", name="← 案件").click()
    page.wait_for_url(live_server.url + "/cases/?status=handling")  # back to the same filter
