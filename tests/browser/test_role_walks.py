"""The officer's day in a real browser (issue 24, "must show"): every role walks three kinds of
case, at 1280 and at 390 pixels wide, following only what is on its screen, with every staff
click counted (links, buttons, tabs, a choice from a select, a radio, a file chooser; typing is
not a click, nor the log-in and log-out of each role):

- plain: an online application granted in full — at most 18 staff clicks;
- partial: a record uploaded, its personal data redacted, the release set approved, partial
  disclosure (Art 37) — at most 28;
- correction + consultation + extension: a correction notice and its letter (Art 30), the
  applicant's correction, a third party consulted and its letter (Art 32), an extension asked,
  granted and notified (Art 33(2)), then the decision — at most 40.

Each officer starts where it lands after logging in (the workbench) and uses the queue row's
button for the next step (it leads straight to the step's page) or the case page's primary
button. axe-core (WCAG 2.1 A/AA) runs on every page on the way and on each role's main pages
(the supervisor's dashboard and annual report, the administrator's admin). A screenshot of
each page is saved in var/walks/<kind>-<width>/ (not committed; $WALK_SCREENSHOTS moves it).
The click count per step and per kind is printed (without -s too).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

from django.utils import timezone

import pytest
from axe_playwright_python.sync_playwright import Axe

from casework.choices import Role
from tests.browser.test_applicant_path import assert_accessible, browser  # noqa: F401
from tests.conftest import REQUEST, _role_group, person

LIMITS = {"plain": 18, "partial": 28, "correction-consultation-extension": 40}
ROOT = Path(__file__).resolve().parents[2]


def walks_folder(kind: str, width: int) -> Path:
    base = Path(os.environ.get("WALK_SCREENSHOTS") or ROOT / "var" / "walks")
    folder = base / f"{kind}-{width}"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


def field(page, label: str):
    """The form field labelled `label` exactly (a required field's label ends with " *")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


class Walk:
    """The page of the officer at work, the click counter, axe-core and the screenshots."""

    def __init__(self, page, base: str, width: int, shots: Path) -> None:
        self.page, self.base, self.width, self.shots = page, base, width, shots
        self.axe = Axe()
        self.step = ""
        self.clicks: Counter[str] = Counter()
        self.saved: list[Path] = []
        self.checked = 0

    # --- counted ------------------------------------------------------------------------
    def click(self, locator, *, navigates: bool = True) -> None:
        self.clicks[self.step] += 1
        if navigates:
            with self.page.expect_navigation():
                locator.click()
            self.check()
        else:
            locator.click()

    def choose(self, locator, **option) -> None:
        """Choosing from a select is one click (one gesture with the keyboard)."""
        self.clicks[self.step] += 1
        locator.select_option(**option)

    def tick(self, locator) -> None:
        self.clicks[self.step] += 1
        locator.check()

    def attach(self, locator, files) -> None:
        """The file chooser is one click (choosing the file in it is not on our page)."""
        self.clicks[self.step] += 1
        locator.set_input_files(files)

    @property
    def total(self) -> int:
        return sum(self.clicks.values())

    # --- not counted --------------------------------------------------------------------
    def log_in(self, username: str, lands: str = "/work/") -> None:
        page = self.page
        page.context.clear_cookies()
        page.goto(self.base + "/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill("pw-" + username)
        with page.expect_navigation():
            page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        assert page.url.startswith(self.base + lands), (username, page.url)
        self.step = username
        self.check()

    def check(self) -> None:
        """axe-core on the page as it is now, no page wider than the screen (wide tables
        scroll inside themselves), and its screenshot."""
        page = self.page
        page.wait_for_load_state()
        assert_accessible(page, self.axe)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= self.width, f"{page.url} is {scroll} px wide at {self.width} px"
        errors = page.locator("form .errorlist")
        assert errors.count() == 0, (page.url, errors.all_inner_texts())
        self.checked += 1
        path = self.shots / (
            f"{self.checked:02d}-{self.step.split(':')[0]}-"
            + re.sub(r"[^a-z0-9]+", "-", page.url.removeprefix(self.base).lower()).strip("-")
            + ".png"
        )
        page.screenshot(path=str(path), full_page=True)
        self.saved.append(path)

    def on_screen(self, locator) -> None:
        """Visible without scrolling anything sideways (issue 24 point 8)."""
        locator.scroll_into_view_if_needed()
        box = locator.bounding_box()
        assert box is not None, f"{self.page.url}: not shown"
        assert box["x"] >= 0, (self.page.url, box)
        assert box["x"] + box["width"] <= self.width, (self.page.url, box)

    # --- what an officer does -----------------------------------------------------------
    def from_queue(self, number: str, label: str) -> None:
        """The case's row on the workbench (the landing tab, or else the first tab that lists
        it: each tab is a click), then the row's button `label` (the step's page, or a claim
        that goes on to the case page)."""
        page = self.page
        row = page.locator("table.queue tbody tr").filter(
            has=page.get_by_role("link", name=number, exact=True)
        )
        if row.count() == 0:
            tabs = page.get_by_role("navigation", name="任务列表").get_by_role("link")
            for index in range(tabs.count()):
                tab = tabs.nth(index)
                if tab.get_attribute("aria-current") == "page":
                    continue
                self.click(tab)
                if row.count():
                    break
        assert row.count(), f"{number} is on no tab of the workbench"
        button = row.first.locator(".btn").filter(has_text=label).first
        assert "secondary" not in (button.get_attribute("class") or ""), label
        self.on_screen(button)
        self.click(button)

    def primary(self, label: str) -> None:
        """The case page's primary button (first, not secondary), by its label."""
        first = self.page.locator("p.actions .btn").first
        assert first.inner_text().strip() == label, first.inner_text()
        assert "secondary" not in (first.get_attribute("class") or ""), label
        self.on_screen(first)
        self.click(first)

    def secondary(self, label: str) -> None:
        button = self.page.locator(".btn.secondary").filter(has_text=label).first
        self.on_screen(button)
        self.click(button)

    def submit(self, name: str = "提交") -> None:
        button = self.page.get_by_role("button", name=name, exact=True).first
        self.on_screen(button)
        self.click(button)

    def link(self, name, **kwargs) -> None:
        link = self.page.get_by_role("link", name=name, **kwargs).first
        self.on_screen(link)
        self.click(link)

    def issue_letter(self, kind: str | None = None) -> None:
        """On the letters page: the kind (preselected when it is the one due), then 出具."""
        page = self.page
        if kind is not None:
            radio = page.get_by_role("radio", name=re.compile(kind)).first
            if not radio.is_checked():
                self.tick(radio)
        self.submit("出具")


@pytest.fixture
def office(organ, divisions, users):
    """The staff of the test office, the administrator with the admin as the demo loads it."""
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    _role_group(Role.ADMINISTRATOR)
    for username, last, first in [
        ("registrar", "王", "登记"),
        ("reviewer", "李", "审核"),
        ("head", "赵", "主任"),
        ("supervisor", "孙", "督办"),
        ("liaison_a", "陈", "安置"),
        ("admin", "周", "管理"),
    ]:
        user = users[username]
        user.last_name, user.first_name = last, first
        user.save()
    return users


def _submit(organ, token: str, subject: str):
    from workflows.portal.services import application_submit

    return application_submit(
        organ=organ,
        applicant=person(),
        request={**REQUEST, "subject": subject},
        attachments=[],
        submission_token=token,
        now=timezone.now(),
    ).case


def _report(walk: Walk, kind: str, capsys, record_property) -> None:
    lines = [f"  {count:2d}  {step}" for step, count in walk.clicks.items()]
    lines.append(
        f"staff clicks, {kind}: {walk.total} (at {walk.width} px; limit {LIMITS[kind]}); "
        f"{walk.checked} pages checked with axe-core, screenshots in {walk.shots}"
    )
    record_property("staff_clicks", walk.total)
    with capsys.disabled():
        print("\n" + "\n".join(lines))  # noqa: T201
    assert walk.total <= LIMITS[kind], dict(walk.clicks)


def _registrar_receives(walk: Walk, number: str) -> None:
    page = walk.page
    walk.from_queue(number, "确认收到")
    walk.submit()
    walk.primary("登记")
    walk.choose(page.get_by_label("主办处室"), label="安置处")
    walk.primary("交办处室")
    assert "已交办" in page.content()


def _reply_delivery_archive(walk: Walk, number: str) -> None:
    page = walk.page
    walk.from_queue(number, "出具答复书")
    walk.issue_letter("答复书")
    assert "已答复" in page.content()
    assert page.get_by_label("获取方式").input_value() == "email"  # preset (point 6)
    walk.primary("登记送达")
    walk.primary("归档")
    assert "已归档" in page.content()


def _main_pages(walk: Walk) -> None:
    """The supervisor's and the administrator's main pages (clicks not counted: looking)."""
    page = walk.page
    walk.log_in("supervisor", lands="/supervision/")
    page.goto(walk.base + "/supervision/report/")
    walk.check()
    walk.log_in("admin", lands="/admin/")


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.django_db(transaction=True)
def test_plain_case(live_server, browser, organ, office, width, capsys, record_property):  # noqa: F811
    kind = "plain"
    number = _submit(organ, f"plain-{width}", "2025年度退役士兵安置计划").number
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    walk = Walk(context.new_page(), live_server.url, width, walks_folder(kind, width))
    page = walk.page

    walk.log_in("registrar")
    _registrar_receives(walk, number)

    walk.log_in("liaison_a")
    walk.from_queue(number, "认领")  # the claim goes on to the case page
    walk.primary("提出拟办意见")
    walk.choose(page.get_by_label("处理结果"), value="granted")
    walk.choose(page.get_by_label("其他提供方式"), value="post")
    page.get_by_label("查阅或邮寄日期").fill(timezone.localdate().isoformat())
    walk.submit()
    assert "审核中" in page.content()

    walk.log_in("reviewer")
    walk.from_queue(number, "审核通过")
    walk.submit()

    walk.log_in("head")
    walk.from_queue(number, "审签同意")
    walk.submit()
    assert "已审签" in page.content()

    walk.log_in("registrar")
    _reply_delivery_archive(walk, number)
    _main_pages(walk)
    context.close()
    _report(walk, kind, capsys, record_property)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.django_db(transaction=True)
def test_partial_case_with_a_redacted_record(
    live_server,
    browser,  # noqa: F811
    organ,
    office,
    width,
    capsys,
    record_property,
):
    from letters.records.samples import SAMPLE_ID, sample_text_pdf

    kind = "partial"
    number = _submit(organ, f"partial-{width}", "2025年度安置工作检查通报").number
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    walk = Walk(context.new_page(), live_server.url, width, walks_folder(kind, width))
    page = walk.page

    walk.log_in("registrar")
    _registrar_receives(walk, number)

    # The liaison officer: the record, its personal data withheld, the set built, the proposal.
    walk.log_in("liaison_a")
    walk.from_queue(number, "认领")
    walk.link("材料与遮盖")
    walk.attach(
        page.get_by_label("文件"),
        {"name": "通报.pdf", "mimeType": "application/pdf", "buffer": sample_text_pdf(1)},
    )
    field(page, "标题").fill("安置工作检查通报")
    walk.submit("上传")
    walk.link("安置工作检查通报", exact=True)
    walk.click(page.get_by_role("button", name=re.compile("采纳本材料中的全部")).first)
    walk.submit("生成遮盖后的文件送审")
    walk.link(re.compile(rf"案件 {number}"))
    walk.primary("提出拟办意见")
    walk.choose(page.get_by_label("处理结果"), value="partial")
    withheld = page.get_by_label("不予公开的部分及理由").input_value()
    assert "第十五条" in withheld, withheld  # from the release set's grounds (point 6)
    walk.submit()
    assert "审核中" in page.content()

    # The reviewer: the set beside the decision, approved, then the decision checked.
    walk.log_in("reviewer")
    walk.link(number, exact=True)
    walk.link("原件与遮盖后页面对照")
    walk.submit("批准公开")
    walk.primary("审核通过")  # its short form is on the case page

    walk.log_in("head")
    walk.from_queue(number, "审签同意")
    assert "第十五条" in page.locator("#decision-review").inner_text()
    walk.submit()
    assert "已审签" in page.content()

    walk.log_in("registrar")
    _reply_delivery_archive(walk, number)
    _main_pages(walk)
    context.close()

    from casework.models import Case
    from letters.records.selectors import released_files_for_applicant

    [released] = released_files_for_applicant(Case.objects.get(number=number))
    assert SAMPLE_ID.encode() not in released.file.read()
    _report(walk, kind, capsys, record_property)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.django_db(transaction=True)
def test_correction_consultation_and_extension(
    live_server,
    browser,  # noqa: F811
    organ,
    office,
    width,
    capsys,
    record_property,
):
    from casework.models import Case
    from workflows.portal.services import correction_submit

    kind = "correction-consultation-extension"
    number = _submit(organ, f"long-{width}", "某公司安置补助资金使用情况").number
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    walk = Walk(context.new_page(), live_server.url, width, walks_folder(kind, width))
    page = walk.page

    # The registrar: receipt confirmed, registered, a correction asked with its notice (Art 30).
    walk.log_in("registrar")
    walk.from_queue(number, "确认收到")
    walk.submit()
    walk.primary("登记")
    walk.secondary("告知补正")
    page.get_by_label("需补正的事项").fill("请写明所需资金使用情况的年度和项目名称。")
    walk.submit()
    assert "尚未向申请人出具补正告知书" in page.content()  # the prompt (point 3)
    walk.secondary("出具文书")
    assert page.get_by_role("radio", name=re.compile("补正告知书")).first.is_checked()
    walk.issue_letter()
    assert "尚未向申请人出具补正告知书" not in page.content()

    # The applicant corrects online (the applicant's part, not staff work).
    correction_submit(
        case=Case.objects.get(number=number),
        subject="某公司2025年度安置补助资金使用情况",
        text="所需信息为2025年度某公司安置补助资金的使用情况。",
        uploads=[],
        now=timezone.now(),
    )
    page.goto(walk.base + "/work/")
    walk.check()
    walk.from_queue(number, "收到补正")
    assert "2025年度" in page.get_by_label("补正后的申请内容").input_value()  # prefilled
    walk.submit()
    walk.choose(page.get_by_label("主办处室"), label="安置处")
    walk.primary("交办处室")

    # The liaison officer: claims, consults the company (Art 32), asks for an extension.
    walk.log_in("liaison_a")
    walk.from_queue(number, "认领")
    walk.secondary("征求意见")
    walk.choose(field(page, "征求意见对象"), value="third_party")
    page.get_by_label("征求意见对象名称").fill("某公司")
    field(page, "事项").fill("资金使用明细是否涉及商业秘密")
    walk.submit()
    walk.secondary("申请延期")
    field(page, "工作日").fill("20")
    field(page, "理由").fill("需征求第三方意见")
    walk.submit()

    # The head of the OGI office: the extension, its notice, the letter to the company.
    walk.log_in("head")
    walk.from_queue(number, "延期答复")
    assert field(page, "工作日").input_value() == "20"  # the request, prefilled
    walk.submit()
    assert "尚未向申请人出具延期答复告知书" in page.content()
    walk.secondary("出具文书")
    walk.issue_letter()
    walk.secondary("出具文书")
    # The letter to the company is the one chosen: the consultation is open and unwritten.
    assert page.get_by_role("radio", name=re.compile("征求意见书（第三方）")).first.is_checked()
    walk.issue_letter()

    # The company agrees; the liaison records its opinion and proposes to disclose.
    walk.log_in("liaison_a")
    walk.link(number, exact=True)
    # The case page's next step is recording the opinion: its short form is right there, the
    # only open consultation preselected (point 6).
    walk.choose(field(page, "意见"), value="agree")
    walk.primary("收到意见")
    walk.primary("提出拟办意见")
    walk.choose(page.get_by_label("处理结果"), value="granted")
    walk.choose(page.get_by_label("其他提供方式"), value="post")
    page.get_by_label("查阅或邮寄日期").fill(timezone.localdate().isoformat())
    walk.submit()
    assert "审核中" in page.content()

    walk.log_in("reviewer")
    walk.from_queue(number, "审核通过")
    walk.submit()

    walk.log_in("head")
    walk.from_queue(number, "审签同意")
    walk.submit()

    walk.log_in("registrar")
    _reply_delivery_archive(walk, number)
    _main_pages(walk)
    context.close()
    _report(walk, kind, capsys, record_property)
