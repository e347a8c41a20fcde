"""The letter registry: every kind of letter declared once, beside the transition table
(casework.lifecycle.table), as issue 23 asks.

One `LetterDeclaration` per kind says when it may be issued (the transitions whose step it
documents, `after`, and the case states it may be issued in, `states`), by whom (the roles of
the transition that records it: `issue_reply` for the reply of an approved decision, else
`issue_letter`), what the ledger must show (`documents`: the fit check, the step it documents,
the facts of letters.facts), its number series (letters.kinds.SERIES), whether it is sealed by
default (the legally binding notices and every reply; an organ changes it in 文书设置,
LetterSettings.seal_overrides), its wording template and its sample (letters.sample).

Read by: the issuing service and its fit check (letters.services, letters.context.check_fits),
the seal rule (`seal_allowed`), the letters page (`letter_kinds_issuable` for the user),
`manage.py letter_sample` and the agreement tests, which also check that the transition
table's `letters=(...)` names exactly the kinds declared `after` each transition.

Adding a kind: its `Kind` and declaration below, its wording
(templates/letters/wording/<key>.txt) and its test (docs/DEVELOPING.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypedDict, Unpack

from django.utils.translation import gettext_lazy as _

from casework.choices import CaseStatus as S
from casework.choices import Transition as T
from casework.lifecycle import machine as _machine  # noqa: F401 - fills TRANSITIONS
from casework.lifecycle.actors import Staff
from casework.lifecycle.roles import acting_role
from casework.lifecycle.table import CLOSED_WITH_DECISION, OPEN, TRANSITIONS
from casework.payloads import Payload
from letters.kinds import KINDS, SERIES, Kind, Series

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from casework.models import Case


@dataclass(frozen=True)
class Documents:
    """What a family of letters documents (Kind.needs): the ledger fact that must hold before
    one is numbered, the events whose latest is the letter's step (and whose actor decides the
    seal), and the refusal when the fact is missing. Interpreted here only."""

    key: str
    series: Series  # its number series (文号 prefix)
    fits: Callable[[Case, set[str], Kind], bool]
    refusal: StrOrPromise  # a lazy translation
    step_events: tuple[str, ...]  # the latest of these is the step the letter documents
    seal_events: tuple[str, ...]  # who fired the latest of these decides the seal


DOCUMENTS: dict[str, Documents] = {
    d.key: d
    for d in [
        Documents(
            "receipt",
            SERIES["receipt"],
            lambda case, kinds, kind: case.received_on is not None,
            _("the date of receipt is not confirmed yet"),
            (),
            (T.RECEIVE, T.CONFIRM_RECEIPT),
        ),
        Documents(
            "correction",
            SERIES["correction"],
            lambda case, kinds, kind: T.REQUEST_CORRECTION in kinds,
            _("no correction was requested"),
            (T.REQUEST_CORRECTION,),
            (T.REQUEST_CORRECTION,),
        ),
        Documents(
            "extension",
            SERIES["extension"],
            lambda case, kinds, kind: case.extension_days > 0,
            _("the reply period was not extended"),
            (T.EXTEND,),
            (T.EXTEND,),
        ),
        Documents(
            "consultation",
            SERIES["consultation"],
            lambda case, kinds, kind: T.OPEN_CONSULTATION in kinds,
            _("no consultation was opened"),
            (T.OPEN_CONSULTATION,),
            (T.OPEN_CONSULTATION,),
        ),
        Documents(
            "fee",
            SERIES["fee"],
            lambda case, kinds, kind: T.NOTIFY_FEE in kinds,
            _("no fee was notified"),
            (T.NOTIFY_FEE,),
            (T.NOTIFY_FEE,),
        ),
        Documents(
            "decision",
            SERIES["decision"],
            lambda case, kinds, kind: (
                bool(case.disposition) and kind.key == f"reply.{case.disposition}"
            ),
            _("the case's decision is a different one or not made yet"),
            (T.APPROVE, T.REPLY_ON_THE_SPOT, T.ABANDON),
            (T.APPROVE, T.ABANDON, T.REPLY_ON_THE_SPOT, T.PROPOSE),
        ),
    ]
}

# Notices go out on an open case and on one closed with a decision, never on an archived or a
# withdrawn one unless a kind declares it (the states of `issue_letter`).
NOTICE_STATES: tuple[str, ...] = tuple(s for s in (*OPEN, *CLOSED_WITH_DECISION) if s != S.ARCHIVED)
# The reply follows the head's sign-off (approved), or an on-the-spot reply or an abandonment
# that decided the case (Art 33, 36); a voided reply is reissued on the replied case.
REPLY_STATES: tuple[str, ...] = (S.APPROVED, S.REPLIED, S.ABANDONED)


@dataclass(frozen=True)
class LetterDeclaration:
    kind: Kind
    after: tuple[str, ...]  # the transitions whose step it documents (their `letters=`)
    states: tuple[str, ...]  # the case states it may be issued in
    sealed: bool  # sealed by default (LetterSettings.seal_overrides changes it per organ)
    # The transition that records the letter, by case state (default: `issue_letter`).
    recorded_by: dict[str, str] = field(default_factory=dict)
    # The sample (letters.sample): the kind whose sample case it starts from, then these
    # steps, each (transition, role, fields). Empty: its own sample case.
    sample_from: str = ""
    sample_steps: tuple[tuple[str, str, Payload], ...] = ()

    @property
    def key(self) -> str:
        return self.kind.key

    @property
    def documents(self) -> Documents:
        return DOCUMENTS[self.kind.needs]

    @property
    def series(self) -> Series:
        return self.documents.series

    @property
    def wording_template(self) -> str:
        return f"letters/wording/{self.key}.txt"

    @property
    def is_reply(self) -> bool:
        return self.kind.needs == "decision"

    def recording_transition(self, status: str) -> str:
        """The transition that records this letter on a case in `status`."""
        return self.recorded_by.get(status, T.ISSUE_LETTER)

    def roles(self, status: str) -> tuple[str, ...]:
        """Who may issue it on a case in `status`: the roles of its recording transition."""
        return TRANSITIONS[self.recording_transition(status)].roles

    def state_refusal(self, status: str) -> str:
        """Why it cannot be issued on a case in `status` ("" when it can)."""
        if status in self.states:
            return ""
        if self.is_reply and status not in (S.ARCHIVED, S.WITHDRAWN):
            return str(
                _(
                    "The reply letter can be issued only after the head of the office has signed off the decision."
                )
            )
        return str(_("The case is closed: no letter can be issued on it."))

    def may_issue(self, case: Case, user: Staff) -> bool:
        """The state and the role allow it (the ledger's facts are checked by check_fits)."""
        if case.status not in self.states:
            return False
        return acting_role(self.roles(case.status), case, user) is not None


class _Optional(TypedDict, total=False):
    """The fields of a LetterDeclaration that have a default."""

    recorded_by: dict[str, str]
    sample_from: str
    sample_steps: tuple[tuple[str, str, Payload], ...]


def _declare(
    kind: str | Kind,
    after: tuple[str, ...],
    states: tuple[str, ...],
    sealed: bool,
    **more: Unpack[_Optional],
) -> LetterDeclaration:
    """A declaration of a kind of letters.kinds (its key), or of a kind declared right here
    (a `Kind`, added to letters.kinds.KINDS)."""
    if isinstance(kind, Kind):
        if kind.key in KINDS:
            raise ValueError(f"letter kind {kind.key} is declared twice")
        KINDS[kind.key] = kind
    else:
        kind = KINDS[kind]
    return LetterDeclaration(kind, after, states, sealed, **more)


# Sealed by default: the notices with legal effect for the applicant or a consulted party
# (correction Art 30, extension Art 33(2), consultation Art 32, fee 109号) and every reply
# (Art 36). The acknowledgement (登记回执) is a receipt and goes out unsealed by default.
LETTERS: dict[str, LetterDeclaration] = {
    d.key: d
    for d in [
        _declare("acknowledgement", (T.REGISTER,), NOTICE_STATES, False),
        _declare("correction", (T.REQUEST_CORRECTION,), NOTICE_STATES, True),
        _declare("extension", (T.EXTEND,), NOTICE_STATES, True),
        _declare("consultation_third_party", (T.OPEN_CONSULTATION,), NOTICE_STATES, True),
        _declare("consultation_organ", (T.OPEN_CONSULTATION,), NOTICE_STATES, True),
        _declare("consultation_notice", (T.OPEN_CONSULTATION,), NOTICE_STATES, True),
        _declare("fee_notice", (T.NOTIFY_FEE,), NOTICE_STATES, True),
        *[
            _declare(
                key,
                (),  # the reply documents the decision, not one transition's step
                REPLY_STATES,
                True,
                recorded_by={S.APPROVED: T.ISSUE_REPLY},
            )
            for key in KINDS
            if key.startswith("reply.")
        ],
    ]
}


def _fill_the_transition_table() -> None:
    """The transition table's `letters=` (casework.lifecycle.table; `manage.py transitions`)
    names the kinds declared `after` each transition: the domain floor cannot import this
    module, so the registry writes it once, when the letters app is ready."""
    for name, spec in list(TRANSITIONS.items()):
        named = letters_after(name)
        if named != spec.letters:
            TRANSITIONS[name] = replace(spec, letters=named)


def declaration(key: str) -> LetterDeclaration:
    return LETTERS[key]


def letters_after(transition: str) -> tuple[str, ...]:
    """The kinds declared to document `transition`'s step (the table's `letters=`)."""
    return tuple(key for key, d in LETTERS.items() if transition in d.after)


def kinds_in_state(status: str) -> tuple[str, ...]:
    """The kinds that may be issued on a case in `status` (facts and roles aside)."""
    return tuple(key for key, d in LETTERS.items() if status in d.states)


def sealed_by_organ(case: Case, key: str) -> bool:
    """Whether the organ seals letters of `key`: its override in 文书设置, else the default."""
    from letters.context import letter_settings

    overrides = getattr(letter_settings(case), "seal_overrides", None) or {}
    value = overrides.get(key)
    return LETTERS[key].sealed if value is None else bool(value)


_fill_the_transition_table()
