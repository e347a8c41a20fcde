"""Where a user lands after signing in (issue 24 point 4): each role where its work is.

The workbench without ?tab= asks `landing`: the head of the OGI office opens its own 审签 and
延期 work before the rest; the supervising office and the administrators, who hold no task of
the flow, go to the supervision dashboard and the admin instead of an empty 工作台."""

from __future__ import annotations

from django.urls import reverse

from casework.choices import Role
from casework.lifecycle.actors import Person
from casework.permissions import user_roles

# The tabs looked at first, in this order; then the workbench's own order (workflows.TABS).
PREFERRED_TABS = ("sign_off", "extensions")


def landing_tab(tabs: list[str], counts: dict[str, int]) -> str:
    """The first tab with tasks, the head's sign-off and extensions first; else the first."""
    ordered = [t for t in PREFERRED_TABS if t in tabs] + [
        t for t in tabs if t not in PREFERRED_TABS
    ]
    return next((t for t in ordered if counts.get(t)), tabs[0] if tabs else "mine")


def landing_elsewhere(user: Person, tabs: list[str], counts: dict[str, int]) -> str | None:
    """The page to open instead of the workbench, or None: only for a user with no task at
    all and no tab beyond "my tasks" (no office role, no division), by role: the supervising
    office's dashboard, else the admin for staff accounts."""
    if any(counts.get(t) for t in tabs) or [t for t in tabs if t != "mine"]:
        return None
    if Role.SUPERVISOR in user_roles(user):
        return reverse("supervision:dashboard")
    if getattr(user, "is_staff", False):  # the admin lets staff accounts alone in
        return reverse("admin:index")
    return None
