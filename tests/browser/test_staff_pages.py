"""axe-core on the staff pages changed for issue 14: the supervision dashboard with its SVG
charts, the case list with the search box, and the 404 page."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_applicant_path import assert_accessible, browser  # noqa: F401
from tests.workflows.supervision.test_supervision import world  # noqa: F401


@pytest.mark.django_db(transaction=True)
def test_dashboard_search_and_error_pages_are_accessible(live_server, browser, world, users):  # noqa: F811
    axe = Axe()
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill("supervisor")
    page.get_by_label("密码").fill("pw-supervisor")
    page.get_by_role("button", name="登录").click()
    # The log-in has completed: the supervisor lands on the dashboard (issue 24 point 4).
    page.wait_for_url(live_server.url + "/supervision/")
    assert page.locator("svg.trend rect.received").count() == 12
    assert_accessible(page, axe)
    page.get_by_label("搜索案件").fill(world["overdue"].number)
    page.get_by_role("button", name="搜索", exact=True).click()
    assert world["overdue"].number in page.content()
    assert "共 1 件" in page.content()
    assert_accessible(page, axe)
    page.goto(live_server.url + "/no-such-page/")
    assert "页面不存在" in page.content()
    assert_accessible(page, axe)
