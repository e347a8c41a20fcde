"""A real browser: a repeat request is registered and the case library shows the earlier
answered case (Art 36(6)) on the case page, with its reply date and 文号, the same
information marked, and a look-alike from another year with its difference named; the
office's popular-topic list is accessible (issue 25, "must show")."""

import re
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe

from casework.library.models import LibraryEntry
from tests.browser.test_applicant_path import assert_accessible, browser  # noqa: F401
from tests.conftest import NOW, REQUEST, TODAY, at, company, person
from tests.letters.test_casefile import replied  # noqa: F401 - fixture
from tests.letters.test_letters import approved  # noqa: F401 - fixture


@pytest.mark.django_db(transaction=True)
def test_a_repeat_request_shows_the_earlier_case(live_server, browser, replied, organ, users):  # noqa: F811
    from workflows.services import case_receive

    # A look-alike of another year, and the repeat itself (same applicant, same information,
    # after the reply), both received at the counter as the intake form does.
    case_receive(
        organ=organ,
        actor=users["registrar"],
        channel="in_person",
        arrived_at=at(date(2026, 3, 13)),
        applicant=company(),
        request={**REQUEST, "subject": "2024年度退役士兵安置计划"},
        now=NOW,
    )
    repeat = case_receive(
        organ=organ,
        actor=users["registrar"],
        channel="in_person",
        arrived_at=at(TODAY),
        applicant=person(),
        request={
            **REQUEST,
            "subject": "申请公开贵局2025年退役士兵安置计划，请以纸质复印件邮寄提供",
        },
        now=NOW,
    )
    # The index was kept current by the job enqueued after each commit.
    assert LibraryEntry.objects.filter(case=replied).exists()
    assert LibraryEntry.objects.filter(case=repeat).exists()

    axe = Axe()
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill("registrar")
    page.get_by_label("密码").fill("pw-registrar")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/work/")
    page.goto(live_server.url + f"/cases/{repeat.number}/")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url(re.compile(rf".*/cases/{repeat.number}/$"))
    assert "已登记" in page.content()

    notice = page.locator("#library-repeat")
    assert replied.number in notice.inner_text()
    assert "2026年3月16日" in notice.inner_text()  # the reply date
    reply_number = replied.letters.get(kind__startswith="reply.").number
    assert reply_number in notice.inner_text()
    assert "第三十六条第六项" in notice.inner_text()
    rows = page.locator("#library table tbody tr")
    assert rows.count() == 2
    assert replied.number in rows.nth(0).inner_text()
    assert "相同信息" in rows.nth(0).inner_text()
    assert "年份或期间不同：2025 ≠ 2024" in rows.nth(1).inner_text()
    assert page.locator("#library mark").count() > 0  # the matching terms are highlighted
    assert_accessible(page, axe)

    notice.get_by_role("link", name=replied.number).click()
    page.wait_for_url(re.compile(rf".*/cases/{replied.number}/$"))
    assert "已答复" in page.content()

    page.goto(live_server.url + "/work/library/popular/")
    assert "集中申请事项" in page.content()
    assert_accessible(page, axe)
