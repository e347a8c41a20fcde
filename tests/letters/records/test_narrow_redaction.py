"""Issue 24 points 5 and 8: the redaction page at 390 px is no wider than the screen, its
controls usable (the ground list and the box form fit), it says that drawing needs a wider
screen, and the uploader is written family name first (杨就业, never "就业 杨")."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from axe_playwright_python.sync_playwright import Axe

from letters.records import services
from letters.records.models import Record
from tests.browser.test_applicant_path import assert_accessible, browser  # noqa: F401


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.django_db(transaction=True)
def test_redaction_page_fits_the_screen(
    live_server,
    browser,  # noqa: F811
    receive_flow,
    act,
    divisions,
    users,
    text_pdf,
    width,
    django_capture_on_commit_callbacks,
):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    case.refresh_from_db()
    officer = users["liaison_a"]
    officer.first_name, officer.last_name = "就业", "杨"
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        record = services.record_add(
            case=case,
            division=case.lead_division,
            uploaded=SimpleUploadedFile("report.pdf", text_pdf),
            actor=officer,
        )
    record.refresh_from_db()
    assert record.status == Record.Status.READY, record.error

    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill("liaison_a")
    page.get_by_label("密码").fill("pw-liaison_a")
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    shots = Path(os.environ.get("STAFF_SCREENSHOTS") or "var/shots")
    shots.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_server.url}/work/cases/{case.number}/records/")
    assert "杨就业" in page.content()
    assert "就业 杨" not in page.content()
    page.goto(f"{live_server.url}/work/cases/{case.number}/records/{record.pk}/")
    page.locator("#page-1 .sheet img").wait_for()
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the redaction page is {scroll} px wide at {width} px"
    for control in ("#ground-1", "#page-1 form.box-form button"):
        box = page.locator(control).bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= width, (control, box)
    narrow_note = page.locator(".narrow-note")
    assert narrow_note.is_visible() == (width < 760)
    assert_accessible(page, Axe())
    page.screenshot(path=str(shots / f"redaction-{width}.png"), full_page=True)
    context.close()
