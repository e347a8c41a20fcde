"""Issue 21 point 1 in a real browser on the demo data (load_demo): the liaison officer of the
office uploads a record with personal data on a demo case, cannot build the release set while
a suggestion is open, dismisses one with a reason and accepts the rest, builds the set and
proposes partial disclosure; the reviewer's case page says what blocks the review, the
reviewer approves the set and reviews with the set shown beside the form; the head signs off
with the same view; only then is the reply issued, and the applicant's file carries none of the
accepted personal data. Screenshots go to var/shots/ (not committed)."""

import re
import subprocess
from io import StringIO
from pathlib import Path

from django.core.management import call_command

import pytest
from axe_playwright_python.sync_playwright import Axe

from casework.models import Case
from letters.records.models import Record, ReleaseSet
from letters.records.samples import SAMPLE_ID, SAMPLE_MOBILE, SAMPLE_PLATE
from letters.records.selectors import released_files_for_applicant
from tests.browser.test_applicant_path import assert_accessible, browser  # noqa: F401
from workflows.management.commands.load_demo import DEMO_PASSWORD

SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"


def log_in(browser, live_server, username):  # noqa: F811
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1800}).new_page()
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    return page


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_partial_disclosure_cannot_reach_the_applicant_with_an_unreviewed_suggestion(
    live_server,
    browser,  # noqa: F811
    tmp_path,
):
    from letters.records.samples import sample_text_pdf
    from workflows.services import case_act

    text_pdf = sample_text_pdf(1)

    call_command("load_demo", stdout=StringIO())
    case = Case.objects.get(subject="2024年退役军人事务局部门预算")  # routed to 办公室
    from django.contrib.auth.models import User

    case_act(
        number=case.number,
        organ=case.organ,
        name="claim",
        actor=User.objects.get(username="liaison_office"),
    )
    axe = Axe()
    base = f"{live_server.url}/work/cases/{case.number}/"

    # The liaison officer uploads the record; the suggestions are found.
    officer = log_in(browser, live_server, "liaison_office")
    officer.goto(base + "records/")
    officer.get_by_label("文件").set_input_files(
        {"name": "budget.pdf", "mimeType": "application/pdf", "buffer": text_pdf}
    )
    officer.get_by_label("标题", exact=True).fill("部门预算编制说明")
    with officer.expect_navigation():
        officer.get_by_role("button", name="上传").click()
    record = Record.objects.get(case=case)
    assert record.status == Record.Status.READY, record.error
    open_count = record.suggestions.count()
    assert open_count >= 5

    # Building the set with open suggestions is refused, naming how many.
    officer.goto(base + "records/")
    with officer.expect_navigation():
        officer.get_by_role("button", name="生成遮盖后的文件送审").click()
    assert f"还有{open_count}条个人信息提示未处理" in officer.content()
    assert not ReleaseSet.objects.filter(case=case).exists()
    shot(officer, "1-liaison-build-refused")

    # On the record's page: one suggestion dismissed with its reason, the rest accepted.
    officer.goto(f"{base}records/{record.pk}/")
    plate = record.suggestions.get(value=SAMPLE_PLATE)
    officer.locator(f"#dismiss-{plate.pk}").fill("公务车辆号牌，不属于个人信息")
    with officer.expect_navigation():
        officer.locator(f"#dismiss-{plate.pk}").locator("xpath=..").get_by_role(
            "button", name="忽略"
        ).click()
    assert "公务车辆号牌，不属于个人信息" in officer.content()
    assert_accessible(officer, axe)
    with officer.expect_navigation():
        officer.get_by_role("button", name=re.compile("采纳本材料中的全部")).click()
    officer.goto(base + "records/")
    with officer.expect_navigation():
        officer.get_by_role("button", name="生成遮盖后的文件送审").click()
    release_set = ReleaseSet.objects.get(case=case)
    assert release_set.status == ReleaseSet.Status.IN_REVIEW, release_set.error

    # The proposal: partial disclosure (the set is built, so it may be proposed).
    officer.goto(base + "act/propose/")
    officer.get_by_label("处理结果").select_option("partial")
    officer.get_by_label("不予公开的部分及理由").fill("个人身份信息（第十五条）")
    with officer.expect_navigation():
        officer.get_by_role("button", name="提交", exact=True).click()
    case.refresh_from_db()
    assert case.status == "review", officer.content()
    assert not released_files_for_applicant(case).exists()

    # The reviewer: the case page says what blocks the review; review is not offered yet.
    reviewer = log_in(browser, live_server, "reviewer")
    reviewer.goto(f"{live_server.url}/cases/{case.number}/")
    panel = reviewer.locator("#decision-review")
    assert "公开文件尚未审核通过" in panel.inner_text()
    assert reviewer.get_by_role("button", name="审核通过").count() == 0
    shot(reviewer, "2-reviewer-case-blocked")
    # The set's own page, then its approval.
    reviewer.goto(f"{base}records/sets/{release_set.pk}/")
    assert "公务车辆号牌，不属于个人信息" in reviewer.content()
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name="批准公开").click()
    release_set.refresh_from_db()
    assert release_set.status == ReleaseSet.Status.APPROVED

    # The review form shows the set: the file, its boxes and grounds, the dismissed
    # suggestion with its reason, the link to the redacted file.
    reviewer.goto(base + "act/check/")
    panel = reviewer.locator("#decision-review")
    text = panel.inner_text()
    released = release_set.files.get()
    assert released.name in text
    assert "第十五条（商业秘密、个人隐私）" in text
    assert "公务车辆号牌，不属于个人信息" in text
    assert "公开文件尚未审核通过" not in text
    link = panel.get_by_role("link", name="查看遮盖后的文件")
    assert link.get_attribute("href").endswith(f"/sets/{release_set.pk}/files/{released.pk}/")
    assert_accessible(reviewer, axe)
    shot(reviewer, "3-reviewer-check-form-with-set")
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name="提交", exact=True).click()

    # The head signs off with the same view.
    head = log_in(browser, live_server, "head")
    head.goto(base + "act/approve/")
    assert "公务车辆号牌，不属于个人信息" in head.locator("#decision-review").inner_text()
    shot(head, "4-head-approve-form-with-set")
    with head.expect_navigation():
        head.get_by_role("button", name="提交", exact=True).click()
    case.refresh_from_db()
    assert case.status == "approved"

    case_act(
        number=case.number,
        organ=case.organ,
        name="issue_reply",
        actor=User.objects.get(username="registrar"),
    )
    [file] = released_files_for_applicant(case)
    path = tmp_path / "released.pdf"
    path.write_bytes(file.file.read())
    text = "".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout.split()
    )
    for secret in (SAMPLE_ID, SAMPLE_MOBILE):
        assert secret not in text
    assert SAMPLE_PLATE in text  # dismissed with its reason
    for page in (officer, reviewer, head):
        page.close()
