"""Letters in step with the clock: an issued notice that promised a date the clock no longer
gives (issue 21 point 8).

The case's due dates are recomputed from the whole ledger after every event; an issued letter
is frozen (its context snapshot). When they part — an extension notice promised the reply by
one day and a consultation answer moved it, a consultation letter named a day counted from
sending while the party's 15 working days run from its receipt (Art 32, 34) — the case page
names the letter, both dates, and offers its correction (void and reissue:
letters.services.letter_void), which states the date as the clock has it now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from casework.models import Case
from casework.payloads import TemplateContext
from letters.models import Letter

# The notices that promise the applicant a reply date (Art 33): the acknowledgement (登记回执)
# states the due date of receipt, the extension notice the extended one. The latest standing
# one is what the applicant holds.
REPLY_DATE_KINDS = ("acknowledgement", "extension")
# The letters to a consulted party that may name its deadline (Art 32, 34).
PARTY_DATE_KINDS = ("consultation_third_party", "consultation_organ")

_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


@dataclass(frozen=True)
class LetterOutOfStep:
    """A standing letter whose promised date differs from the one the clock gives now."""

    letter: Letter
    what: str  # which date: "reply" (the reply due date) or "party" (the party's deadline)
    promised_on: date
    computed_on: date

    @property
    def later(self) -> bool:
        """The clock's date is later than the letter's (the applicant was promised earlier)."""
        return self.computed_on > self.promised_on


def _promised(context: TemplateContext, iso_key: str, cn_key: str) -> date | None:
    value = context.get(iso_key)
    if value:
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return None
    match = _CN_DATE.search(str(context.get(cn_key) or ""))
    if match:
        year, month, day = (int(g) for g in match.groups())
        return date(year, month, day)
    return None


def letters_out_of_step(case: Case) -> list[LetterOutOfStep]:
    """The standing (not voided, not replaced) notices of an open case whose promised date
    the clock no longer gives: the latest letter that promised the applicant a reply date,
    and each letter to a consulted party still waiting for its answer."""
    if case.closed_on or case.pk is None:
        return []
    standing = [
        letter
        for letter in case.letters.filter(kind__in=[*REPLY_DATE_KINDS, *PARTY_DATE_KINDS])
        .select_related("void")
        .order_by("issued_at", "pk")
        if not letter.is_void
    ]
    found: list[LetterOutOfStep] = []
    reply_letters = [letter for letter in standing if letter.kind in REPLY_DATE_KINDS]
    latest = reply_letters[-1] if reply_letters else None
    # Extended while the applicant holds only the acknowledgement: the notice owed is the
    # extension notice (casework.selectors.case_warnings asks for it), not a reissued receipt.
    owes_extension_notice = (
        latest is not None and case.extension_days and latest.kind != "extension"
    )
    if latest is not None and case.reply_due_on is not None and not owes_extension_notice:
        promised = _promised(latest.context, "reply_due_on", "reply_due_on_cn")
        if promised is not None and promised != case.reply_due_on:
            found.append(LetterOutOfStep(latest, "reply", promised, case.reply_due_on))
    party_letters = [letter for letter in standing if letter.kind in PARTY_DATE_KINDS]
    if party_letters:
        from django.utils import timezone

        from casework.selectors import case_clock, consultations_with_deadlines

        clock = case_clock(case=case, today=timezone.localdate())
        open_dues = {
            item.consultation.consultation_id: item.party_due_on
            for item in consultations_with_deadlines(case, clock.result)
            if item.consultation.closed_on is None and not item.estimated
        }
        for letter in party_letters:
            consultation_id = letter.step.partition(":")[2]
            due = open_dues.get(consultation_id)
            promised = _promised(letter.context, "", "consultation_due_on_cn")
            if due is not None and promised is not None and promised != due:
                found.append(LetterOutOfStep(letter, "party", promised, due))
    return found
