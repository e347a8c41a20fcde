"""A real browser (Playwright driving Debian's chromium) walks the whole path: an applicant
applies online, the office confirms receipt and registers, the applicant sees the new
status. axe-core checks every public page on the way: no violations."""

import base64
import io
import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from PIL import Image
from playwright.sync_api import sync_playwright

from casework.models import Case
from tests.conftest import VALID_RESIDENT_ID

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (20, 40, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def assert_accessible(page, axe):
    results = axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    violations = results.response["violations"]
    assert violations == [], results.generate_report()


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from django.db import connections

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()
        # ORM calls made while Playwright's loop runs get their own connection (asgiref's
        # context-local storage); close it here or PostgreSQL cannot drop the test database.
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_apply_confirm_register_and_track(live_server, browser, organ, users, settings):
    settings.OTP_REQUIRED_GROUPS = ["登记员"]  # the second factor as in production
    axe = Axe()
    applicant = browser.new_page(locale="zh-CN")
    for path in ("/guide/", "/apply/", "/track/", "/verify/"):
        applicant.goto(live_server.url + path)
        assert_accessible(applicant, axe)

    applicant.goto(live_server.url + "/apply/")
    applicant.get_by_label("姓名或单位名称").fill("李明")
    applicant.get_by_label(re.compile(r"^证件类型")).select_option("resident_id")
    applicant.get_by_label(re.compile(r"^证件号码")).fill(VALID_RESIDENT_ID)
    applicant.get_by_label(re.compile(r"^电话")).fill(
        "1380013800"
    )  # one digit short: refused, input kept
    applicant.get_by_label("所需政府信息").fill("2025年度部门预算")
    applicant.get_by_label(re.compile(r"^身份证明")).set_input_files(
        {"name": "id.png", "mimeType": "image/png", "buffer": _png()}
    )
    applicant.get_by_role("button", name="提交申请").click()
    assert "手机号码" in applicant.content()
    assert applicant.get_by_label("姓名或单位名称").input_value() == "李明"
    assert_accessible(applicant, axe)  # the error state is accessible too (messages tied to fields)
    # the chosen file is kept on the server: no need to choose it again
    assert "已选择：id.png（保留）" in applicant.content()
    applicant.get_by_label(re.compile(r"^电话")).fill("13800138000")
    applicant.get_by_role("button", name="提交申请").click()
    applicant.wait_for_url(re.compile(r".*/apply/done/.*"))
    assert_accessible(applicant, axe)
    codes = applicant.locator(".code").all_inner_texts()
    number, code = codes[0].strip(), codes[1].strip()
    assert Case.objects.get(number=number).status == "received"

    office = browser.new_context(locale="zh-CN").new_page()
    office.goto(live_server.url + "/login/")
    office.get_by_label("用户名").fill("registrar")
    office.get_by_label("密码").fill("pw-registrar")
    office.get_by_role("button", name="登录").click()
    # The registrar has no second factor yet: enrolment by QR code (or the key shown by it),
    # then the recovery codes once, then the case.
    office.wait_for_url(re.compile(r".*/account/otp/setup/.*"))
    assert office.locator(".qr svg").count() == 1
    assert_accessible(office, axe)
    secret = office.locator("code").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    office.get_by_label("验证码").fill(f"{totp(key):06d}")
    office.get_by_role("button", name="确认").click()
    office.wait_for_url(re.compile(r".*/account/otp/recovery-codes/.*"))
    assert office.locator(".recovery-codes li").count() == 10
    office.goto(live_server.url + f"/cases/{number}/")
    # The next step's short form is on the case page: its button does it.
    office.get_by_role("button", name="确认收到").click()
    office.wait_for_url(re.compile(rf".*/cases/{number}/$"))
    office.get_by_role("button", name="登记", exact=True).click()
    office.wait_for_url(re.compile(rf".*/cases/{number}/$"))
    assert "已登记" in office.content()

    tracker = browser.new_context(locale="zh-CN").new_page()
    tracker.goto(live_server.url + "/track/")
    tracker.get_by_label("申请编号").fill(number)
    tracker.get_by_label("查询码").fill(code)
    tracker.get_by_role("button", name="查询").click()
    tracker.wait_for_url(re.compile(rf".*/track/{number}/"))
    assert "已登记" in tracker.content()
    assert "答复期限" in tracker.content()
    assert_accessible(tracker, axe)


def test_the_accessibility_check_does_fail_on_a_bad_page(browser):
    page = browser.new_page()
    page.set_content(
        '<html lang="zh"><head><title>x</title></head><body><main><input type="text"><img src="data:,"></main></body></html>'
    )
    with pytest.raises(AssertionError):
        assert_accessible(page, Axe())
