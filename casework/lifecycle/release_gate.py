"""Release follows approval: what a decision that provides information must carry before it
is proposed, reviewed (审核) and signed off (审签).

- Art 36(2): a granted reply provides the information, or tells how, where and when it can be
  obtained. So a granted proposal names what it provides: released files (an approved release
  set of the case's records), the place where the information is already published (Art 36(1)
  facts, `where_published`), or an arranged way recorded with its date (Art 40: 查阅 on site,
  or 邮寄 by post).
- Art 37: a partial disclosure provides the separable part, so its redacted files exist and are
  reviewed before the decision moves on; Art 17 (review before disclosure): every suggestion of
  personal data in them is decided — accepted as a redaction or dismissed with a reason.

The records live on the letters floor (letters.records), which this floor does not import: the
records app registers a reader of the facts the rules need (`register_release_reader`); the
rules stay here, next to the lifecycle that applies them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.choices import Disposition
from casework.choices import Transition as T
from casework.errors import WrongState
from casework.items import item_name
from casework.payloads import FormData, Payload

if TYPE_CHECKING:
    from casework.lifecycle.machine import CaseLifecycle
    from casework.models import Case

# The decisions that hand information over (Art 36(2), Art 37).
PROVIDING: frozenset[str] = frozenset({Disposition.GRANTED, Disposition.PARTIAL})

# A release set's states, as the records app names them (letters.records.models.ReleaseSet).
SET_IN_REVIEW = "in_review"
SET_APPROVED = "approved"


class Arrangement(models.TextChoices):
    """How information is provided other than as attached files (Art 36(2), Art 40)."""

    INSPECTION = "inspection", gettext_lazy("Inspection on site (查阅)")
    POST = "post", gettext_lazy("Sent by post (邮寄)")


@dataclass(frozen=True)
class ReleaseFacts:
    """What the records app knows of a case's release: whether it holds records, the status
    of its current release set ("" without one), whether that set holds every record, and how
    many personal-data suggestions are still open."""

    has_records: bool = False
    set_status: str = ""
    set_complete: bool = False
    open_suggestions: int = 0


ReleaseReader = Callable[["Case"], ReleaseFacts]
_readers: list[ReleaseReader] = []


def register_release_reader(reader: ReleaseReader) -> None:
    """The records app (letters.records.apps) gives the reader once, when it is ready."""
    if reader not in _readers:
        _readers.append(reader)


def release_facts(case: Case) -> ReleaseFacts:
    return _readers[-1](case) if _readers and case.pk else ReleaseFacts()


# --- the proposal's fields (ProposeInput) ---------------------------------------------------


def provision_fields() -> tuple[forms.Field, forms.Field, forms.Field]:
    """The arranged way of providing (Art 40), its date and its place (for 查阅)."""
    return (
        forms.ChoiceField(
            label=gettext_lazy("Arranged provision"),
            choices=[("", "—"), *Arrangement.choices],
            required=False,
            help_text=gettext_lazy(
                "When the information is not attached as released files: inspection on site or "
                "post, with its date."
            ),
        ),
        forms.DateField(
            label=gettext_lazy("Date of the inspection or of posting"),
            required=False,
            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        ),
        forms.CharField(
            label=gettext_lazy("Place of the inspection"),
            required=False,
            max_length=200,
        ),
    )


def provision_clean(form: forms.Form, data: FormData) -> None:
    """An arrangement is recorded with its date, and an inspection with its place."""
    arrangement = data.get("arrangement") or ""
    if arrangement and not data.get("arranged_on"):
        form.add_error(
            "arranged_on", _("Give the date of the inspection or of posting (Art 36(2)).")
        )
    if arrangement == Arrangement.INSPECTION and not (data.get("arranged_place") or "").strip():
        form.add_error("arranged_place", _("Say where the applicant inspects the information."))
    if not arrangement and (data.get("arranged_on") or data.get("arranged_place")):
        form.add_error("arrangement", _("Choose the arranged provision the date belongs to."))


def provision_payload(data: FormData) -> Payload:
    """What the proposal's event records of an arrangement."""
    if not data.get("arrangement"):
        return {}
    arranged_on: date = data["arranged_on"]
    payload = {"arrangement": data["arrangement"], "arranged_on": arranged_on.isoformat()}
    if data.get("arranged_place"):
        payload["arranged_place"] = data["arranged_place"].strip()
    return payload


# --- the rules ------------------------------------------------------------------------------


def needs_release_set(disposition: str, facts: ReleaseFacts) -> bool:
    """Art 37: a partial disclosure always releases redacted files; a granted decision on a
    case that holds records releases those records (reviewed before they go out)."""
    return disposition == Disposition.PARTIAL or (
        disposition == Disposition.GRANTED and facts.has_records
    )


def release_refusal(case: Case, proposal: Payload, *, approved: bool) -> str | None:
    """Why a decision that provides information cannot move on, or None: for a request of
    several items (casework.items), the first item that cannot, named."""

    for item in proposal.get("item_decisions") or []:
        reason = _release_refusal(case, item, approved=approved)
        if reason:
            return f"{item_name(item.get('position', 0), item.get('text', ''))}：{reason}"
    if proposal.get("item_decisions"):
        return None
    return _release_refusal(case, proposal, approved=approved)


def _release_refusal(case: Case, proposal: Payload, *, approved: bool) -> str | None:
    """Why one decision that provides information cannot move on, or None.

    At the proposal the release set is built (awaiting review, or approved); at review and
    sign-off it is approved (`approved`). A granted decision without records provides the
    information in another way: where it is published, or an arrangement with its date.
    """
    disposition = proposal.get("disposition") or ""
    if disposition not in PROVIDING:
        return None
    facts = release_facts(case)
    if needs_release_set(disposition, facts):
        if facts.open_suggestions:
            return _(
                "%(count)d personal-data suggestions in the records are still open: accept each as a redaction or dismiss it with a reason, then build the release set (Art 37)."
            ) % {"count": facts.open_suggestions}
        if not facts.has_records:
            return _(
                "A partial disclosure provides the redacted records: add the records and build the release set first (Art 37)."
            )
        ready = (SET_APPROVED,) if approved else (SET_IN_REVIEW, SET_APPROVED)
        if facts.set_status not in ready or not facts.set_complete:
            if approved:
                return _(
                    "The release set of this decision is not approved: the reviewer approves the redacted files before the decision is reviewed or signed off."
                )
            return _(
                "This decision provides records: build the release set (the redacted files) before proposing it."
            )
        return None
    if proposal.get("where_published") or proposal.get("arrangement"):
        return None
    return _(
        "A granted reply must provide the information: attach the records as released files, say where it is already published, or arrange inspection or posting with its date (Art 36(2))."
    )


def proposal_provision(case: Case, data: FormData) -> Payload:
    """At the proposal: refuse a providing decision that provides nothing (or whose files are
    not built); return what the event records of an arrangement."""
    if data.get("items"):  # several items: each provides as it says (stored with the item)
        reason = release_refusal(case, {"item_decisions": data["items"]}, approved=False)
        if reason:
            raise WrongState(reason)
        return {}
    payload = provision_payload(data)
    reason = release_refusal(
        case,
        {
            "disposition": data.get("disposition"),
            "where_published": data.get("where_published"),
            **payload,
        },
        approved=False,
    )
    if reason:
        raise WrongState(reason)
    return payload


def last_proposal(lc: CaseLifecycle) -> Payload:
    event = next((e for e in reversed(lc.events()) if e.kind == T.PROPOSE), None)
    return dict(event.payload) if event is not None else {}


def release_approved(lc: CaseLifecycle) -> str | None:
    """Guard of review (check) and sign-off (approve): the released files are approved."""
    return release_refusal(lc.case, last_proposal(lc), approved=True)
