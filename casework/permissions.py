"""Roles and division membership: who may see and do what.

Roles are Django groups (created by migration 0002). Liaison officers belong to divisions
through guardian's object permission `casework.work_in_division` on the Division row (few
rows; viewflow's queues read the same grants). Big lists are never filtered through guardian:
selectors filter cases by the division ids computed here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from guardian.shortcuts import assign_perm, remove_perm

from casework.choices import Role
from casework.lifecycle.actors import Person, Staff

if TYPE_CHECKING:
    from casework.models import Case, Division

DIVISION_PERM = "casework.work_in_division"

# Roles that see every case of the organ.
OFFICE_ROLES: frozenset[str] = frozenset({Role.REGISTRAR, Role.REVIEWER, Role.OFFICE_HEAD})
ALL_CASES_ROLES: frozenset[str] = OFFICE_ROLES | {Role.SUPERVISOR}


def user_roles(user: Person | None) -> frozenset[str]:
    """The role names (group names) of a user, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_casework_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        vars(user)["_casework_roles"] = cached
    return frozenset(cached)


def user_division_ids(user: Person | None) -> frozenset[int]:
    """Ids of the divisions a user works in (object grants on Division only, never global)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_casework_division_ids", None)
    if cached is None:
        # One query over guardian's generic tables (the same grants viewflow's queues read):
        # the user's own object grants and those of the user's groups.
        from guardian.models import GroupObjectPermission, UserObjectPermission

        app_label, codename = DIVISION_PERM.split(".")
        grant = {"permission__codename": codename, "permission__content_type__app_label": app_label}
        rows = (
            UserObjectPermission.objects.filter(user=user, **grant)
            .values_list("object_pk", flat=True)
            .union(
                GroupObjectPermission.objects.filter(group__user=user, **grant).values_list(
                    "object_pk", flat=True
                )
            )
        )
        cached = frozenset(int(pk) for pk in rows)
        vars(user)["_casework_division_ids"] = cached
    return frozenset(cached)


def sees_all_cases(user: Person | None) -> bool:
    """Office roles and the supervising office see every case; administrators see all too."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user_roles(user) & ALL_CASES_ROLES) or bool(getattr(user, "is_superuser", False))


def division_members(division: Division) -> QuerySet[Staff]:
    """The active users who work in a division (direct object grants; the same rows the
    queues read). A queryset, so callers can narrow it (liaison role, e-mail address)."""

    from guardian.shortcuts import get_users_with_perms

    users = cast(  # a queryset when attach_perms is False
        "QuerySet[Staff]",
        get_users_with_perms(
            division, only_with_perms_in=[DIVISION_PERM.split(".")[1]], with_group_users=False
        ),
    )
    return get_user_model().objects.filter(pk__in=users.values("pk"), is_active=True)


def division_grant_member(user: Staff, division: Division) -> None:
    """Make a user a liaison officer of a division (idempotent)."""
    assign_perm(DIVISION_PERM, user, division)
    _forget(user)


def division_revoke_member(user: Staff, division: Division) -> None:
    remove_perm(DIVISION_PERM, user, division)
    _forget(user)


def _forget(user: Staff) -> None:
    for attr in ("_casework_roles", "_casework_division_ids"):
        if hasattr(user, attr):
            delattr(user, attr)


# The model permissions each office role holds for the flow's office tasks (granted to the
# groups by workflows migration 0002); derived from the roles so a queue needs no extra query.
ROLE_TASK_PERMS: dict[str, tuple[str, ...]] = {
    Role.REGISTRAR: ("casework.triage_cases",),
    Role.REVIEWER: ("casework.triage_cases", "casework.review_cases"),
    Role.OFFICE_HEAD: ("casework.triage_cases", "casework.review_cases", "casework.sign_off_cases"),
}


def user_task_perms(user: Person | None) -> frozenset[str]:
    return frozenset(p for role in user_roles(user) for p in ROLE_TASK_PERMS.get(role, ()))


# --- Personal data on a need-to-know basis (issue 16 point 2; PIPL Art 6, 51) ---------------
# Full ID numbers: only the roles that register and review applications, and only through a
# recorded reveal (workflows.models.IdNumberReveal); everyone else sees them masked.
FULL_ID_ROLES: frozenset[str] = frozenset({Role.REGISTRAR, Role.REVIEWER, Role.OFFICE_HEAD})


def may_reveal_id_number(user: Person | None) -> bool:
    return bool(user_roles(user) & FULL_ID_ROLES)


def sees_contact_details(user: Person, case: Case) -> bool:
    """Phone and e-mail of the applicant (and agent): the OGI office and the officers of the
    case's divisions (lead or co-division), who contact the applicant; the supervisor and the
    system administrator see them masked."""
    if user_roles(user) & OFFICE_ROLES:
        return True
    divisions = user_division_ids(user)
    if not divisions:
        return False
    if case.lead_division_id in divisions:
        return True
    return case.co_divisions.filter(pk__in=divisions).exists()
