"""axe-core on every role's main pages and on the Django admin (issue 24 "must show"), at 1280
and 390 pixels wide: no violation at all (WCAG 2.1 A and AA; serious and critical included),
no page wider than the screen. The admin: its index, every app's index, every registered
model's change list, a change form of every model that has a row, an add form, and the
calendar-import page; every app and model has its Chinese name (third-party ones included:
axes, otp_static, otp_totp, viewflow, django-tasks). The number of pages checked is printed.
Screenshots go to var/walks/axe-<width>/."""

from __future__ import annotations

import re

from django.contrib import admin
from django.urls import reverse

import pytest
from axe_playwright_python.sync_playwright import Axe

from casework.choices import Role
from tests.browser.test_applicant_path import assert_accessible, browser  # noqa: F401
from tests.browser.test_role_walks import walks_folder
from tests.conftest import _role_group

ASCII_NAME = re.compile(r"^[A-Za-z _]+$")


def _log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("pw-" + username)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()


def _cases(receive_flow, act, divisions) -> str:
    """A few cases in the states the pages list (received, routed, in review, replied)."""
    from tests.provision import BY_POST

    receive_flow()
    routed = receive_flow()
    act(routed, "register", "registrar")
    act(routed, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    review = receive_flow()
    act(review, "register", "registrar")
    act(review, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    act(review, "claim", "liaison_a")
    act(review, "propose", "liaison_a", disposition="granted", basis="", **BY_POST)
    return review.number


def _admin_pages() -> list[str]:
    """Index, each app's index, each model's change list, a change form of each model that
    has a row, an add form, the calendar-import page."""
    pages = ["/admin/"]
    apps = sorted({model._meta.app_label for model in admin.site._registry})
    pages += [reverse("admin:app_list", args=[label]) for label in apps]
    for model in sorted(admin.site._registry, key=lambda m: (m._meta.app_label, m.__name__)):
        meta = model._meta
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            )
    pages.append(reverse("admin:casework_organ_add"))
    pages.append(reverse("admin:casework_calendaryear_import"))
    return pages


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.django_db(transaction=True)
def test_every_roles_main_pages_and_the_admin_pass_axe(
    live_server,
    browser,  # noqa: F811
    organ,
    divisions,
    users,
    receive_flow,
    act,
    width,
    capsys,
):
    from django.contrib.auth.models import User

    from workflows.decide.phrases import CommonPhrase

    admin_user = users["admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    _role_group(Role.ADMINISTRATOR)
    number = _cases(receive_flow, act, divisions)
    CommonPhrase.objects.create(owner=users["reviewer"], organ=organ, text="同意")
    assert User.objects.filter(username="admin", is_superuser=True).exists()

    shots = walks_folder("axe", width)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    base = live_server.url
    axe = Axe()
    checked: list[str] = []

    def check(path: str, who: str) -> None:
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, (who, path, response.status)
        assert_accessible(page, axe)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{path} is {scroll} px wide at {width} px ({who})"
        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "root"
        page.screenshot(path=str(shots / f"{len(checked) + 1:02d}-{who}-{name}.png"))
        checked.append(f"{who} {path}")

    main_pages = {
        "registrar": [
            "/work/",
            "/work/?tab=office",
            "/work/intake/",
            "/cases/",
            f"/cases/{number}/",
            f"/work/cases/{number}/letters/",
            "/work/done/",
            "/work/phrases/",
            "/work/library/popular/",
        ],
        "liaison_a": [
            "/work/",
            "/work/?tab=division",
            "/cases/",
            f"/cases/{number}/",
            f"/work/cases/{number}/records/",
            "/work/done/",
        ],
        "reviewer": [
            "/work/",
            f"/cases/{number}/",
            f"/work/cases/{number}/act/check/",
            "/work/done/",
            "/work/phrases/",
        ],
        "head": ["/work/", "/work/?tab=extensions", f"/cases/{number}/", "/work/done/"],
        "supervisor": [
            "/supervision/",
            "/supervision/report/",
            "/cases/",
            f"/cases/?q={number}",
            f"/cases/{number}/",
        ],
    }
    for who, paths in main_pages.items():
        _log_in(page, base, who)
        for path in paths:
            check(path, who)

    _log_in(page, base, "admin")
    assert page.url == base + "/admin/"  # the administrator lands on the admin
    for path in _admin_pages():
        check(path, "admin")
    # Chinese names for every app and model on the admin index (AXES, OTP_STATIC, WORKFLOW
    # and Task Results were English).
    page.goto(base + "/admin/")
    captions = page.locator("#content-main caption a, #content-main th[scope=row] a")
    names = [text.strip() for text in captions.all_inner_texts()]
    assert names, "the admin index lists no app"
    english = [name for name in names if ASCII_NAME.fullmatch(name)]
    assert english == [], english
    context.close()

    admin_count = sum(1 for line in checked if line.startswith("admin "))
    with capsys.disabled():
        print(  # noqa: T201
            f"\naxe-core at {width} px: {len(checked)} pages, 0 violations "
            f"({len(checked) - admin_count} main pages of 5 roles, {admin_count} admin pages); "
            f"screenshots in {shots}"
        )
