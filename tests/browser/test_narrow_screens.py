"""Issue 24 points 4, 5, 8 in a real browser: at 390 px every queue row's action button is on
the screen (not at the far end of a table scrolling sideways) and no page is wider than the
screen; the supervisor lands on the dashboard; the admin's calendar-import page passes axe.
Screenshots at 1280 and 390 px go to $STAFF_SCREENSHOTS (or the test's tmp_path)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_applicant_path import assert_accessible, browser  # noqa: F401
from tests.provision import BY_POST


def _log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("pw-" + username)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()


def _shots() -> Path:
    folder = Path(os.environ.get("STAFF_SCREENSHOTS") or "var/shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll} px wide at {width} px"


def _on_screen(page, locator, width: int) -> None:
    """The element is visible and wholly inside the viewport's width, without scrolling any
    box sideways."""
    assert locator.is_visible()
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width, f"{box} beyond {width} px"


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.django_db(transaction=True)
def test_queue_buttons_are_on_screen_and_roles_land_where_their_work_is(
    live_server,
    browser,  # noqa: F811
    receive_flow,
    act,
    divisions,
    users,
    width,
):
    claimed = receive_flow()
    act(claimed, "register", "registrar")
    act(claimed, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    act(claimed, "claim", "liaison_a")
    act(claimed, "urge", "supervisor", message="请尽快办理")
    act(
        claimed,
        "open_consultation",
        "liaison_a",
        party="third_party",
        party_name="某公司",
        matter="商业秘密",
    )
    waiting = receive_flow()
    act(waiting, "register", "registrar")
    act(waiting, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    signing = receive_flow()
    act(signing, "register", "registrar")
    act(signing, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    act(signing, "claim", "liaison_a2")
    act(signing, "propose", "liaison_a2", disposition="granted", basis="", **BY_POST)
    act(signing, "check", "reviewer")

    axe = Axe()
    shots = _shots()
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    base = live_server.url

    # The liaison: its own task, with the urge and the consultation badge, its button on screen.
    _log_in(page, base, "liaison_a")
    assert page.url.endswith("/work/")
    row = page.locator("table.queue tbody tr", has_text=claimed.number)
    assert "催办：请尽快办理" in row.inner_text()
    assert "征求意见中" in row.inner_text()
    _on_screen(page, row.locator(".btn").first, width)
    _fits(page, width)
    assert_accessible(page, axe)
    page.screenshot(path=str(shots / f"liaison-queue-{width}.png"), full_page=True)
    # The case history in words: no ISO date, no Python value, no doubled actor.
    page.goto(base + f"/cases/{claimed.number}/")
    history = page.locator("ol.history").inner_text()
    assert not re.search(r"\d{4}-\d{2}-\d{2}", history)
    for raw in ("True", "False", "{'", "系统（系统）", "申请人（申请人）"):
        assert raw not in history, raw
    assert "登记员" in history
    _fits(page, width)
    page.screenshot(path=str(shots / f"liaison-case-history-{width}.png"), full_page=True)
    page.goto(base + "/work/?tab=division")
    _on_screen(
        page, page.locator("table.queue tbody tr", has_text=waiting.number).locator(".btn"), width
    )
    _fits(page, width)

    # The head lands on its sign-off tab; its 审签同意 is on screen.
    _log_in(page, base, "head")
    assert page.url.endswith("/work/")
    current = page.get_by_role("navigation", name="任务列表").locator("[aria-current=page]")
    assert current.inner_text().startswith("待审签")
    _on_screen(
        page, page.locator("table.queue tbody tr", has_text=signing.number).locator(".btn"), width
    )
    _fits(page, width)
    page.screenshot(path=str(shots / f"head-landing-{width}.png"), full_page=True)

    # The supervisor lands on the dashboard.
    _log_in(page, base, "supervisor")
    assert page.url.endswith("/supervision/")
    _fits(page, width)
    page.screenshot(path=str(shots / f"supervisor-landing-{width}.png"), full_page=True)

    # The administrator lands on the admin; the calendar-import page passes axe.
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    _log_in(page, base, "admin")
    assert page.url.endswith("/admin/")
    page.goto(base + "/admin/casework/calendaryear/import/")
    assert_accessible(page, axe)
    page.screenshot(path=str(shots / f"admin-calendar-import-{width}.png"), full_page=True)
    context.close()
