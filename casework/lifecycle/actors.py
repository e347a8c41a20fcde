"""Who fires a transition: a staff user, the applicant (online portal), or the system."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from casework.choices import SYSTEM_ROLE

APPLICANT_ROLE = "申请人"


def display_name(user: Any) -> str:
    """A person's name the Chinese way: family name first, no space (王登记)."""
    full = f"{getattr(user, 'last_name', '')}{getattr(user, 'first_name', '')}".strip()
    return full or str(user.get_username())


@dataclass(frozen=True)
class Actor:
    user: Any | None
    kind: str  # "staff" | "applicant" | "system"

    @classmethod
    def staff(cls, user: Any) -> Actor:
        return cls(user=user, kind="staff")

    @property
    def name(self) -> str:
        if self.user is not None:
            return display_name(self.user)
        return APPLICANT_ROLE if self.kind == "applicant" else SYSTEM_ROLE


APPLICANT = Actor(user=None, kind="applicant")
SYSTEM = Actor(user=None, kind="system")


def as_actor(actor: Any) -> Actor:
    return actor if isinstance(actor, Actor) else Actor.staff(actor)
