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
from tests.conftest import NOW, REQUEST, at, company, person
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
        # the day after the reply (TODAY): a request of the reply's own day is no repeat
        arrived_at=at(date(2026, 3, 17)),
        applicant=person(),
        request={
            **REQUEST,
            "subject": "申请公开贵局2025年退役士兵安置计划，请以纸质复印件邮寄提供",
        },
        now=at(date(2026, 3, 17), 10),
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


def _log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("pw-" + username)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r".*/work/.*"))


def _act(page, label: str, fill=None, before_submit=None) -> None:
    """The case page's primary action, as an officer takes it (tests/browser/test_staff_path:
    Walk.act): a short form is on the case page, a longer one on its own page."""
    first = page.locator("p.actions .btn").first
    assert first.inner_text().strip() == label, first.inner_text()
    if first.evaluate("e => e.tagName") != "BUTTON":
        first.click()
        page.wait_for_url(re.compile(r".*/act/.*"))
        first = page.get_by_role("button", name="提交", exact=True)
    if before_submit is not None:
        before_submit()
    if fill is not None:
        fill()
    first.click()
    page.wait_for_url(re.compile(r".*/cases/[^/]+/$"))
    errors = page.locator(".errorlist")
    assert errors.count() == 0, errors.all_inner_texts()


def _pdf_text(data: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as document:
        return "".join("".join((p.extract_text() or "").split()) for p in document.pages)


@pytest.mark.django_db(transaction=True)
def test_a_repeat_is_registered_shown_and_declined_citing_the_earlier_case(
    live_server,
    browser,  # noqa: F811
    replied,  # noqa: F811
    organ,
    divisions,
    users,
):
    """The must-show walk of issue 25: the same applicant asks again for the same
    information after the reply; registration shows the earlier case with its reply date
    and 文号; the liaison's 36(6) proposal has it picked; the reply letter cites it."""
    from django.utils import timezone

    from letters.models import Letter
    from workflows.services import case_receive

    now = timezone.now()
    repeat = case_receive(
        organ=organ,
        actor=users["registrar"],
        channel="in_person",
        arrived_at=now,
        applicant=person(),
        request={**REQUEST, "subject": "再次申请公开2025年度退役士兵安置计划"},
        now=now,
    )
    earlier_letter = replied.letters.get(kind__startswith="reply.")
    base = live_server.url
    axe = Axe()
    page = browser.new_context(locale="zh-CN").new_page()

    # The registrar registers it and sees the earlier case, its reply date and 文号.
    _log_in(page, base, "registrar")
    page.goto(f"{base}/cases/{repeat.number}/")
    _act(page, "登记")
    notice = page.locator("#library-repeat")
    assert replied.number in notice.inner_text()
    assert "2026年3月16日" in notice.inner_text()
    assert earlier_letter.number in notice.inner_text()
    assert_accessible(page, axe)
    _act(page, "交办处室", fill=lambda: page.get_by_label("主办处室").select_option(label="安置处"))

    # The liaison officer claims it; the 36(6) proposal has the earlier case picked.
    _log_in(page, base, "liaison_a")
    page.goto(f"{base}/cases/{repeat.number}/")
    _act(page, "认领")

    def picked() -> None:
        assert page.locator("#library-repeat").count() == 1  # the library beside the form
        assert page.locator("[name=earlier_case_number]").input_value() == replied.number
        assert_accessible(page, axe)

    def decline() -> None:
        page.get_by_label("处理结果").select_option(value="not_processed.repeated")
        page.locator("[name=reasons]").fill(
            "申请人此前已就同一政府信息提出申请，本机关已依法答复。"
        )

    _act(page, "提出拟办意见", before_submit=picked, fill=decline)
    assert "审核中" in page.content()

    # The head signs off; the registrar issues the reply letter.
    _log_in(page, base, "head")
    page.goto(f"{base}/cases/{repeat.number}/")
    _act(page, "审签同意")
    assert "已审签" in page.content()
    _log_in(page, base, "registrar")
    page.goto(f"{base}/cases/{repeat.number}/")
    page.locator("p.actions .btn").filter(has_text="出具答复书").first.click()
    reply = page.get_by_role("radio", name=re.compile("答复书"))
    if not reply.first.is_checked():
        reply.first.click()
    page.get_by_role("button", name="出具", exact=True).click()
    page.wait_for_url(re.compile(rf".*/cases/{repeat.number}/$"))
    assert "已答复" in page.content()

    letter = Letter.objects.get(case=repeat, kind="reply.not_processed.repeated")
    assert letter.number in page.content()
    text = _pdf_text(letter.pdf.open("rb").read())
    assert earlier_letter.number in text  # the earlier reply's 文号
    assert "2026年3月16日" in text  # and its date
    assert replied.number in text  # the earlier case
    assert "第三十六条第（六）项" in text


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_before_the_first_reply_is_offered_and_merged(
    live_server,
    browser,  # noqa: F811
    organ,
    divisions,
    users,
):
    """Issue 25 point 2: the same applicant asks again before the first reply; the library
    offers the merge at registration, the registrar merges, the applicant is told."""
    from django.utils import timezone

    from casework.models import Notification
    from workflows.services import case_receive

    now = timezone.now()
    first, second = (
        case_receive(
            organ=organ,
            actor=users["registrar"],
            channel="in_person",
            arrived_at=now,
            applicant=person(),
            request={**REQUEST, "subject": subject},
            now=now,
        )
        for subject in ("2025年度退役士兵安置计划", "申请公开2025年退役士兵安置计划全文")
    )
    axe = Axe()
    page = browser.new_context(locale="zh-CN").new_page()
    _log_in(page, live_server.url, "registrar")
    page.goto(f"{live_server.url}/cases/{second.number}/")
    _act(page, "登记")
    offer = page.locator("#library-duplicate")
    assert first.number in offer.inner_text()
    assert_accessible(page, axe)
    offer.get_by_role("link", name="并入此前的申请").click()
    page.wait_for_url(re.compile(r".*/act/merge_duplicate/$"))
    assert page.get_by_label("并入的此前申请").input_value() == first.number
    page.get_by_label("理由", exact=True).fill("同一申请人重复提交")
    assert_accessible(page, axe)
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_url(re.compile(rf".*/cases/{second.number}/$"))
    assert page.locator(".errorlist").count() == 0
    assert "已并入此前的申请" in page.content()
    second.refresh_from_db()
    assert second.status == "merged"
    note = Notification.objects.get(dedupe_key=f"merged:{second.pk}")
    assert first.number in note.subject
    assert note.to == ["zhangsan@example.com"]
