"""Issue 21 in a real browser: the case page names an issued extension notice the clock has
overtaken and its button voids it and issues the corrected one; the supervision dashboard
lists a step recorded for an earlier day (补录/倒签) with who entered it and why; the case
history marks it."""

import os
from datetime import date, timedelta

from django.utils import timezone

import pytest
from axe_playwright_python.sync_playwright import Axe

from casework.models import Case, Event
from casework.templatetags.casework_tags import cn_date
from letters.models import Letter
from letters.services import letter_issue
from tests.browser.test_applicant_path import assert_accessible, browser  # noqa: F401
from tests.conftest import at
from tests.letters.test_drift import investigating  # noqa: F401

SHOTS = os.environ.get("SCREENSHOT_DIR", "")  # where to keep the pages for a look, if set


def log_in(page, base, who):
    page.goto(base + "/login/")
    page.get_by_label("用户名").fill(who)
    page.get_by_label("密码").fill("pw-" + who)
    page.get_by_role("button", name="登录").click()
    # Each role lands where its work is (issue 24 point 4): the supervisor on the dashboard.
    page.wait_for_url(base + ("/supervision/" if who == "supervisor" else "/work/"))


@pytest.mark.django_db(transaction=True)
def test_overtaken_notice_is_corrected_and_backdated_step_is_listed(
    live_server,
    browser,  # noqa: F811
    investigating,  # noqa: F811
    fire,
    users,
    settings,
):
    settings.BACKDATE_REASON_WORKING_DAYS = 2
    case = investigating
    fire(
        case,
        "request_extension",
        "liaison_a",
        on=date(2026, 3, 20),
        now=at(date(2026, 3, 20), 15),
        days=20,
        reason="档案多",
    )
    fire(
        case,
        "extend",
        "head",
        on=date(2026, 3, 20),
        now=at(date(2026, 3, 20), 15),
        days=20,
        reason="需调取档案",
        note="同意",
    )
    promised = Case.objects.get(pk=case.pk).reply_due_on
    notice = letter_issue(
        number=case.number, kind="extension", actor=users["registrar"], now=at(date(2026, 3, 20))
    )
    fire(
        case,
        "open_consultation",
        "liaison_a",
        on=date(2026, 3, 23),
        now=at(date(2026, 3, 23), 15),
        party="third_party",
        party_name="某公司",
        matter="合同",
    )
    opened = Event.objects.get(case=case, kind="open_consultation").payload
    fire(
        case,
        "close_consultation",
        "liaison_a",
        on=date(2026, 3, 27),
        now=at(date(2026, 3, 27), 15),
        consultation_id=opened["consultation_id"],
        opinion="agree",
    )
    computed = Case.objects.get(pk=case.pk).reply_due_on
    assert computed > promised
    now = timezone.now()
    fire(
        case,
        "urge",
        "supervisor",
        on=timezone.localdate(now) - timedelta(days=7),
        now=now,
        message="请加快办理",
        backdate_reason="电话催办，当日未录入",
    )
    axe = Axe()
    page = browser.new_context(locale="zh-CN").new_page()
    log_in(page, live_server.url, "reviewer")
    page.goto(live_server.url + case.get_absolute_url())
    warning = page.locator("ul.out-of-step li")
    assert warning.count() == 1
    text = warning.inner_text()
    assert notice.number in text
    assert cn_date(promised) in text
    assert cn_date(computed) in text  # after the consultation (Art 33(3))
    assert page.locator(".history .badge.backdated").count() == 1
    assert "电话催办，当日未录入" in page.locator(".history").inner_text()
    assert_accessible(page, axe)
    if SHOTS:
        page.locator("ul.out-of-step").screenshot(path=f"{SHOTS}/warning.png")
    page.get_by_role("button", name="作废并重新出具更正后的文书").click()
    page.wait_for_load_state()
    assert page.locator("ul.out-of-step").count() == 0
    corrected = Letter.objects.get(replaces=notice)
    assert corrected.number in page.content()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/case-page.png", full_page=True)
    page = browser.new_context(locale="zh-CN").new_page()
    log_in(page, live_server.url, "supervisor")
    page.goto(live_server.url + "/supervision/")
    listed = page.locator("#backdated tbody tr")
    assert listed.count() == 1
    row = listed.first.inner_text()
    for part in (case.number, "催办", "电话催办，当日未录入"):
        assert part in row, part
    assert_accessible(page, axe)
    if SHOTS:
        page.locator("#backdated").screenshot(path=f"{SHOTS}/backdated.png")
