"""What a decision must carry before it can be proposed (Art 30, 35, 36, 109号): the substance
of the officer's text, and the procedural facts its letter states, read from the ledger.

Every rule is a function over (disposition, fields) and the case, so a decision on one item of
a request is checked the same way as a decision on the whole request. `decision_check` returns
the problems (field, Chinese message) and the facts it resolved for the event to record (the
earlier case's reply of Art 36(6)); the input forms call it from `clean` (lifecycle.inputs).

- Art 36: a refusal states its reasons — real reasons, never a placeholder (无, 略, 同上 …) nor a
  few characters (`settings.REASON_MIN_CHARS`).
- Art 36(4): "not held" shows a reasonable search: where (places or archives, systems) and with
  which search terms, and the period searched; the letter prints it.
- Art 36(5): the organ responsible and how to reach it (名称、联系方式), or why it cannot be
  determined.
- Art 36(6): a repeated application names the earlier case of the same applicant at the same
  organ that was answered before this one arrived; the letter prints its reply date and 文号.
- Art 30: "still unclear after correction" needs a correction requested AND received; a deemed
  abandonment (no correction, 109号: fee unpaid) is never proposed: `abandon` records it once
  the applicant's deadline has passed.
- Art 35: "unreasonable volume" needs the day the organ asked the applicant for reasons.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from casework.catalogue.selectors import items_for_reply, where_published_text
from casework.choices import Disposition as D
from casework.choices import Transition as T
from casework.library.match import answered_before
from casework.models import Applicant, Case
from casework.payloads import Payload
from casework.text import one_line

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from casework.models import Case, Event

# Text that says nothing, in any case and with any surrounding punctuation or spaces.
PLACEHOLDERS = frozenset(
    {
        "无",
        "略",
        "同上",
        "见上",
        "如上",
        "暂无",
        "没有",
        "不详",
        "详见附件",
        "见附件",
        "/",
        "-",
        "—",
        "n/a",
        "na",
        "none",
        "null",
        "nil",
        "tbd",
        "todo",
        "xxx",
        "test",
        "测试",
    }
)

# The officer-entered fields of a decision that a letter prints.
PRINTED_TEXT_FIELDS = (
    "reasons",
    "where_published",
    "responsible_organ",
    "responsible_contact",
    "responsible_unknown",
    "search_places",
    "search_systems",
    "search_period",
    "search_terms",
)

# What a decision's event records beyond reasons and basis, for its letter (lifecycle._decide).
DECISION_FACT_KEYS = (
    "responsible_unknown",
    "search_places",
    "search_systems",
    "search_period",
    "search_terms",
    "earlier_case_number",
    "earlier_reply_on",
    "earlier_letter_number",
    "explanation_requested_on",
    "catalogue_item",  # Art 36(1): the catalogue item the reply points to (issue 26)
)

# The dispositions whose letter states reasons the officer gives (Art 36).
REASONS_REQUIRED = ("refused.", "unable.", "not_processed.")
# Art 36(4): the search record is the substance of a "not held" reply; reasons are optional.
REASONS_OPTIONAL = frozenset({D.UNABLE_NOT_HELD})


def _core(text: str) -> str:
    """The text without spaces, punctuation and symbols."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZSC")


def placeholder_problem(value: object, *, min_chars: int = 0) -> str | None:
    """Why `value` is no real text (empty, a placeholder, only punctuation, one character
    repeated, shorter than `min_chars` letters), or None when it is text."""
    text = one_line(value)
    if not text:
        return _("This field is required.")
    core = _core(text)
    if not core:
        return _("Only punctuation: write what this field asks for.")
    if core.lower() in PLACEHOLDERS or text.strip().lower() in PLACEHOLDERS:
        return _("“%(text)s” is a placeholder: write what this field asks for.") % {"text": text}
    if len(core) >= 2 and (len(set(core)) == 1 or (len(core) >= 4 and len(set(core)) <= 2)):
        return _("“%(text)s” is repeated characters: write what this field asks for.") % {
            "text": text
        }
    if min_chars and len(core) < min_chars:
        return _(
            "Too short to be the reasons (%(count)s characters; at least %(min)s): state them in full."
        ) % {"count": len(core), "min": min_chars}
    return None


_PHONE = re.compile(r"\d[\d\- ]{5,}\d")


def contact_problem(value: object) -> str | None:
    """Art 36(5): a contact is a phone number or a postal address."""
    problem = placeholder_problem(value)
    if problem:
        return problem
    text = one_line(value)
    if _PHONE.search(text) or len(_core(text)) >= 6:
        return None
    return _("Give a phone number or a postal address of the organ (Art 36(5)).")


@dataclass(frozen=True)
class EarlierReply:
    """The reply of an earlier case (Art 36(6)): its number, the date and number of its letter."""

    case_number: str
    reply_on: date
    letter_number: str


@dataclass
class DecisionCheck:
    problems: list[tuple[str | None, str]] = field(default_factory=list)
    records: Payload = field(default_factory=dict)

    def add(self, name: str | None, message: StrOrPromise) -> None:
        self.problems.append((name, str(message)))


def decision_check(disposition: str, fields: Mapping[str, object], *, case: Case) -> DecisionCheck:
    """The problems of deciding `disposition` with `fields` on `case`, and the facts resolved
    for the event (see the module docstring)."""
    check = DecisionCheck()
    if not disposition:
        return check
    _check_text(check, disposition, fields)
    if fields.get("catalogue_item"):
        _check_catalogue_item(check, disposition, fields, case)
    if disposition == D.UNABLE_NOT_HELD:
        _check_search(check, fields)
    elif disposition == D.UNABLE_NOT_THIS_ORGAN:
        _check_responsible_organ(check, fields)
    elif disposition == D.GRANTED_ALREADY_PUBLISHED and not (
        fields.get("where_published") or fields.get("catalogue_item")
    ):
        check.add("where_published", _("Art 36(1): tell the applicant where and how to get it."))
    elif disposition == D.NOT_PROCESSED_REPEATED:
        _check_repeated(check, fields, case)
    elif disposition == D.UNABLE_UNCLEAR_AFTER_CORRECTION:
        if correction_exchange(case_events(case)) is None:
            check.add(
                "disposition",
                _(
                    "Art 30: “still unclear after correction” needs a correction that was requested and received on this case."
                ),
            )
    elif disposition in (D.OTHER_NO_CORRECTION, D.OTHER_FEE_UNPAID):
        check.add(
            "disposition",
            _(
                "A deemed abandonment is not proposed: it is recorded with “Deem abandoned” once the applicant's deadline has passed (Art 30; 国办函〔2020〕109号)."
            ),
        )
    elif disposition == D.NOT_PROCESSED_UNREASONABLE:
        _check_explanation(check, fields, case)
    return check


def _check_text(check: DecisionCheck, disposition: str, fields: Mapping[str, object]) -> None:
    reasons_required = disposition.startswith(REASONS_REQUIRED) and (
        disposition not in REASONS_OPTIONAL
    )
    if reasons_required and not one_line(fields.get("reasons")):
        check.add("reasons", _("State the reasons for this decision (Art 36)."))
    for name in PRINTED_TEXT_FIELDS:
        if not one_line(fields.get(name)):
            continue
        minimum = settings.REASON_MIN_CHARS if name == "reasons" and reasons_required else 0
        problem = placeholder_problem(fields.get(name), min_chars=minimum)
        if problem:
            check.add(name, problem)


def _check_catalogue_item(
    check: DecisionCheck, disposition: str, fields: Mapping[str, object], case: Case
) -> None:
    """Art 36(1) (and a granted reply that points to published information): the reply names
    an item of the organ's proactive-disclosure catalogue, published and in force; its title,
    place, date and address become the `where_published` the letter prints (issue 26)."""
    if disposition not in (D.GRANTED_ALREADY_PUBLISHED, D.GRANTED):
        check.add(
            "catalogue_item",
            _("A catalogue item is named only by a reply that the information is published."),
        )
        return
    chosen = fields["catalogue_item"]  # the form's IntegerField
    if not isinstance(chosen, int):
        check.add("catalogue_item", _("No published catalogue item in force has this number."))
        return
    item = items_for_reply(case.organ).filter(pk=chosen).first()
    if item is None:
        check.add("catalogue_item", _("No published catalogue item in force has this number."))
        return
    check.records["catalogue_item"] = item.pk
    check.records["where_published"] = where_published_text(item)


def _check_search(check: DecisionCheck, fields: Mapping[str, object]) -> None:
    """Art 36(4): where the organ searched (places or systems) and for what (terms)."""
    if not (one_line(fields.get("search_places")) or one_line(fields.get("search_systems"))):
        check.add(
            "search_places",
            _(
                "Art 36(4): record where the organ searched — the places or archives, or the systems."
            ),
        )
    if not one_line(fields.get("search_terms")):
        check.add("search_terms", _("Art 36(4): record the search terms used."))


def _check_responsible_organ(check: DecisionCheck, fields: Mapping[str, object]) -> None:
    """Art 36(5): the responsible organ's name and contact, or why it cannot be determined."""
    organ = one_line(fields.get("responsible_organ"))
    unknown = one_line(fields.get("responsible_unknown"))
    if organ and unknown:
        check.add(
            "responsible_unknown",
            _("Either name the responsible organ or say why it cannot be determined, not both."),
        )
    elif unknown:
        problem = placeholder_problem(unknown, min_chars=settings.REASON_MIN_CHARS)
        if problem:
            check.add("responsible_unknown", problem)
    elif not organ:
        check.add(
            "responsible_organ",
            _(
                "Art 36(5): name the organ responsible and how to reach it, or say why it cannot be determined."
            ),
        )
    else:
        problem = contact_problem(fields.get("responsible_contact"))
        if problem:
            check.add("responsible_contact", problem)


def _check_repeated(check: DecisionCheck, fields: Mapping[str, object], case: Case) -> None:
    number = one_line(fields.get("earlier_case_number"))
    if not number:
        check.add(
            "earlier_case_number",
            _("Art 36(6): give the number of the earlier case that already answered this request."),
        )
        return
    found = earlier_reply(case, number)
    if isinstance(found, str):
        check.add("earlier_case_number", found)
        return
    check.records.update(
        {
            "earlier_case_number": found.case_number,
            "earlier_reply_on": found.reply_on.isoformat(),
            "earlier_letter_number": found.letter_number,
        }
    )


def _check_explanation(check: DecisionCheck, fields: Mapping[str, object], case: Case) -> None:
    """Art 35: the organ asked the applicant to explain before refusing to process."""
    asked = fields.get("explanation_requested_on")
    if not isinstance(asked, date):
        check.add(
            "explanation_requested_on",
            _("Art 35: give the day the organ asked the applicant to explain the requests."),
        )
    elif case.received_on is not None and asked < case.received_on:
        check.add(
            "explanation_requested_on",
            _("The organ can ask for reasons only after it received the application."),
        )


# --- the ledger ------------------------------------------------------------------------------


def case_events(case: Case | None) -> list[Event]:
    """The case's events in order (none for an unsaved case)."""
    if case is None or getattr(case, "pk", None) is None:
        return []
    return list(case.events.order_by("seq"))


def correction_exchange(events: list[Event]) -> tuple[Event, Event] | None:
    """Art 30: the last correction notice and the corrected application received after it, or
    None when no correction was both requested and received."""
    asked = next((e for e in reversed(events) if e.kind == T.REQUEST_CORRECTION), None)
    if asked is None:
        return None
    received = next(
        (e for e in events if e.kind == T.RECEIVE_CORRECTION and e.seq > asked.seq), None
    )
    return (asked, received) if received is not None else None


def same_applicant(one: Applicant, other: Applicant) -> bool:
    """The same person or body: the same identity document (or credit code), or — where a side
    has none — the same name with the same phone or e-mail."""

    def norm(value: object) -> str:
        return one_line(value).replace(" ", "").upper()

    if norm(one.id_number) and norm(other.id_number):
        return norm(one.id_number) == norm(other.id_number) and one.id_type == other.id_type
    if norm(one.credit_code) and norm(other.credit_code):
        return norm(one.credit_code) == norm(other.credit_code)
    if norm(one.name) != norm(other.name):
        return False
    return bool(
        (norm(one.phone) and norm(one.phone) == norm(other.phone))
        or (norm(one.email) and norm(one.email) == norm(other.email))
    )


def reply_letter_events(events: list[Event]) -> list[Event]:
    """The events that issued a reply letter (答复书) and still stand (not voided)."""
    voided = {e.payload.get("letter") for e in events if e.kind == T.VOID_LETTER}
    issued = [
        e
        for e in events
        if e.kind == T.ISSUE_REPLY
        or (e.kind == T.ISSUE_LETTER and str(e.payload.get("kind", "")).startswith("reply."))
    ]
    return [e for e in issued if e.payload.get("letter") not in voided]


def earlier_reply(case: Case, number: str) -> EarlierReply | str:
    """Art 36(6): the reply of the earlier case `number`, or why it cannot be the earlier case:
    a case of the same organ and the same applicant, answered before this case's receipt."""
    earlier = (
        Case.objects.filter(organ_id=case.organ_id, number=number)
        .select_related("applicant")
        .first()
    )
    if earlier is None:
        return _("No case of this organ has the number %(number)s.") % {"number": number}
    if earlier.pk == case.pk:
        return _("The earlier case cannot be this case.")
    if not same_applicant(earlier.applicant, case.applicant):
        return _(
            "Case %(number)s was made by another applicant (Art 36(6) covers the same applicant's repeated requests)."
        ) % {"number": number}
    letters = reply_letter_events(case_events(earlier))
    if not letters:
        return _("Case %(number)s has no reply letter issued.") % {"number": number}
    first = letters[0]
    if not answered_before(first.on, case.received_on):
        return _(
            "Case %(number)s was answered on %(date)s, not before this application was received."
        ) % {"number": number, "date": first.on.isoformat()}
    standing = letters[-1]
    return EarlierReply(earlier.number, standing.on, str(standing.payload.get("letter", "")))
