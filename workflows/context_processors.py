"""What the staff header may link to: only the pages the signed-in user may open (the
intake form is the office's, the supervision pages the office's and the supervisor's)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from casework.choices import Role
from casework.permissions import OFFICE_ROLES, sees_all_cases, user_roles


class StaffNav:
    """Evaluated only when a template asks (public pages never do)."""

    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def intake(self) -> bool:
        return bool(user_roles(self.user) & OFFICE_ROLES)

    @cached_property
    def catalogue(self) -> bool:
        """The catalogue's office pages: the OGI office and the liaison officers (roles only,
        cached on the user: no query of its own)."""
        return bool(user_roles(self.user) & (OFFICE_ROLES | {Role.LIAISON}))

    @cached_property
    def supervision(self) -> bool:
        return sees_all_cases(self.user)


def staff_nav(request: HttpRequest) -> dict[str, Any]:
    return {"staff_nav": StaffNav(getattr(request, "user", None))}
