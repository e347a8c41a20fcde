"""Who may fire a transition: the role rules of the transition table, answered for one actor.

A rule is a role (a Django group name), one of the division rules below, or "applicant" /
"system" for the non-staff actors. The first rule that fits gives the role recorded on the
event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from casework.choices import SYSTEM_ROLE, Role
from casework.lifecycle.actors import APPLICANT_ROLE, Actor, ActorLike, Person, as_actor
from casework.permissions import OFFICE_ROLES, user_division_ids, user_roles

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from casework.models import Case, Division

# Division rules: a liaison officer of the case's lead division; of one of its co-divisions;
# the officer the case is assigned to.
LEAD_LIAISON = "lead_liaison"
CO_LIAISON = "co_liaison"
ASSIGNEE = "assignee"
APPLICANT = "applicant"
SYSTEM = "system"
OFFICE: tuple[str, ...] = tuple(sorted(OFFICE_ROLES))
HEAD: tuple[str, ...] = (Role.OFFICE_HEAD,)
REVIEWERS: tuple[str, ...] = (Role.REVIEWER, Role.OFFICE_HEAD)

RULE_LABELS: dict[str, StrOrPromise] = {
    LEAD_LIAISON: _("Liaison officer of the lead division"),
    CO_LIAISON: _("Liaison officer of a co-division"),
    ASSIGNEE: _("Assigned officer"),
    APPLICANT: _("Applicant"),
    SYSTEM: _("System"),
}


def co_division_of(case: Case, user: Person | None) -> Division | None:
    """The first co-division of the case that the user works in."""
    if not case.pk:
        return None
    mine = user_division_ids(user)
    return next((d for d in case.co_divisions.all() if d.pk in mine), None)


def acting_role(rules: tuple[str, ...], case: Case, actor: ActorLike) -> str | None:
    """The role under which `actor` may act by `rules` on `case`, or None if no rule fits."""
    actor = as_actor(actor)
    if actor.kind != "staff":
        if actor.kind not in rules:
            return None
        return APPLICANT_ROLE if actor.kind == APPLICANT else SYSTEM_ROLE
    user = actor.user
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return None
    roles = user_roles(user)
    for rule in rules:
        if rule == LEAD_LIAISON:
            if Role.LIAISON in roles and case.lead_division_id in user_division_ids(user):
                return str(Role.LIAISON)
        elif rule == ASSIGNEE:
            if case.assignee_id is not None and case.assignee_id == getattr(user, "pk", None):
                return str(Role.LIAISON)
        elif rule == CO_LIAISON:
            if Role.LIAISON in roles and co_division_of(case, user) is not None:
                return str(Role.LIAISON)
        elif rule in roles:
            return rule
    return None


def rules_text(rules: tuple[str, ...]) -> list[str]:
    """The rules as words (for `manage.py transitions` and the docs)."""
    return [
        str(RULE_LABELS[rule]) if rule in RULE_LABELS else str(Role(rule).label) for rule in rules
    ]


__all__ = ["ASSIGNEE", "CO_LIAISON", "LEAD_LIAISON", "Actor", "acting_role", "co_division_of"]
