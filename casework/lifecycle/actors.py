"""Who fires a transition: a staff user, the applicant (online portal), or the system."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeAlias

from django.core.exceptions import PermissionDenied

from casework.choices import SYSTEM_ROLE

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.http import HttpRequest

APPLICANT_ROLE = "申请人"

# Who acts, as the type checker sees it. The project uses Django's own user model.
Staff: TypeAlias = "User"
"""A signed-in user: an officer of the organ (registrar, liaison, head, …) or an administrator."""
Visitor: TypeAlias = "AnonymousUser"
"""Nobody signed in: the portal's applicant before any account, the public verify page."""
Person: TypeAlias = "User | AnonymousUser"
"""Whoever is at the other end of a request (`request.user`): staff or a visitor."""
ActorLike: TypeAlias = "User | Actor"
"""What a service that writes accepts as its actor: a staff user, or APPLICANT / SYSTEM."""


def staff_user(request: HttpRequest) -> Staff:
    """The signed-in user of a staff page or API call (those views require a login first).

    Raises PermissionDenied (403) for a visitor, which the login-required views never let through.
    """
    from django.contrib.auth.models import User

    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("staff_user: nobody is signed in")
    return user


class Named(Protocol):
    """Anything with a user name (a user, a visitor, a queue row's owner); display_name reads
    its `last_name` and `first_name` when it has them."""

    def get_username(self) -> str: ...


def display_name(user: Named) -> str:
    """A person's name the Chinese way: family name first, no space (王登记)."""
    full = f"{getattr(user, 'last_name', '')}{getattr(user, 'first_name', '')}".strip()
    return full or str(user.get_username())


@dataclass(frozen=True)
class Actor:
    user: Staff | None
    kind: str  # "staff" | "applicant" | "system"

    @classmethod
    def staff(cls, user: Staff) -> Actor:
        return cls(user=user, kind="staff")

    @property
    def name(self) -> str:
        if self.user is not None:
            return display_name(self.user)
        return APPLICANT_ROLE if self.kind == "applicant" else SYSTEM_ROLE


APPLICANT = Actor(user=None, kind="applicant")
SYSTEM = Actor(user=None, kind="system")


def as_actor(actor: ActorLike) -> Actor:
    return actor if isinstance(actor, Actor) else Actor.staff(actor)
