"""Keeping the library current: an entry per case, refreshed by a background job whenever a
case is saved (registered, corrected, routed, replied), and the candidate lookup.

The candidates come from the inverted index of postings (applicant keys, facts, bigrams:
casework.library.postings, migration case_library 0003), so a lookup reads a bounded number
of rows however many cases the organ has. The lookup never leaves the case's organ.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone

from django_tasks import task

from casework.choices import CaseStatus
from casework.library.facts import Facts
from casework.library.match import RULES_VERSION, Entry
from casework.library.models import LibraryEntry, LibraryPosting
from casework.library.postings import candidate_ids, candidate_query, postings_replace
from casework.models import Applicant, Case
from casework.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)

CANDIDATES = 50  # all of them get their facts compared (match.PREFILTER)
ANSWERED = frozenset({CaseStatus.REPLIED, CaseStatus.ARCHIVED})


def applicant_keys(applicant: Applicant | None) -> list[str]:
    """The same applicant is the same identity document or credit code, or the same name with
    the same phone number or e-mail address (every intake records the applicant afresh)."""
    if applicant is None:
        return []
    keys = []
    if applicant.credit_code:
        keys.append(f"cc:{applicant.credit_code.upper()}")
    if applicant.id_number:
        keys.append(f"id:{applicant.id_type}:{applicant.id_number.upper()}")
    name = applicant.name.strip()
    phone = "".join(ch for ch in applicant.phone or "" if ch.isdigit())
    if name and phone:
        keys.append(f"tel:{name}:{phone}")
    if name and applicant.email:
        keys.append(f"mail:{name}:{applicant.email.lower()}")
    return keys


def case_text(case: Case) -> str:
    return f"{case.subject}\n{case.description}".strip()


def replied_on(case: Case) -> datetime | None:
    """The day the case was answered (the reply closes it: lifecycle issue_reply)."""
    return case.closed_on if case.status in ANSWERED else None  # type: ignore[return-value]


def entry_of_case(case: Case) -> Entry:
    """The case as the library compares it, computed from the case itself."""
    received = case.received_on or timezone.localtime(case.arrived_at).date()
    return Entry.of(
        case.pk,
        case_text(case),
        applicant_keys(case.applicant),
        received,
        replied_on(case),
        str(case.lead_division_id) if case.lead_division_id else None,
    )


def entry_of_row(row: LibraryEntry) -> Entry:
    return Entry.stored(
        row.case_id,
        row.core_text,
        row.topic_text,
        Facts.from_json(row.facts),
        row.applicant_keys,
        row.received_on,
        row.replied_on,
        str(row.division_id) if row.division_id else None,
    )


def entry_refresh(case_id: int, *, now: datetime | None = None) -> LibraryEntry | None:
    """Write the case's entry afresh (idempotent: safe to run twice or on two workers)."""
    case = Case.objects.select_related("applicant").filter(pk=case_id).first()
    if case is None:
        with transaction.atomic():
            LibraryEntry.objects.filter(case_id=case_id).delete()
            LibraryPosting.objects.filter(case_id=case_id).delete()
        return None
    entry = entry_of_case(case)
    defaults = {
        "organ_id": case.organ_id,
        "applicant_keys": sorted(entry.applicant_keys),
        "core_text": entry.core,
        "topic_text": entry.topic,
        "facts": entry.facts.as_json(),
        "received_on": entry.received_on,
        "replied_on": entry.replied_on,
        "division_id": case.lead_division_id,
        "indexed_at": now or timezone.now(),
        "rules_version": RULES_VERSION,
    }
    with transaction.atomic():
        row, created = LibraryEntry.objects.select_for_update().get_or_create(
            case_id=case.pk, defaults=defaults
        )
        if created and case.lead_division_id is None:
            # The routing suggestion at registration, kept to count accepted and overridden.
            from casework.library.selectors import routing_for_entry

            suggestion = routing_for_entry(entry, case.organ_id)
            if suggestion is not None:
                row.suggested_division_id = int(suggestion.division)
                row.save(update_fields=["suggested_division"])
        elif not created:
            for field, value in defaults.items():
                setattr(row, field, value)
            row.save()
        postings_replace(case.pk, case.organ_id, entry.received_on, entry)
    return row


@task()
def library_refresh(case_id: int) -> None:
    """The worker's job: refresh one case's library entry."""
    entry_refresh(case_id)


def _case_saved(sender: type[Case], instance: Case, **kwargs: object) -> None:
    enqueue_on_commit(library_refresh, instance.pk)


def connect_signals() -> None:
    post_save.connect(_case_saved, sender=Case, dispatch_uid="case_library_refresh")


def candidates(entry: Entry, organ_id: int, limit: int = CANDIDATES) -> list[Entry]:
    """Earlier entries of the organ most like `entry` (received before it, or the same day
    with a lower id), at most `limit`."""
    # The inverted index (casework.library.postings): a bounded number of rows read whatever
    # the organ's size; the entries of the ids found, best first.
    if connection.vendor == "postgresql":
        query = candidate_query(entry, organ_id, limit)
        if query is None:
            return []
        sql, params = query
        rows = LibraryEntry.objects.raw(
            f"SELECT e.* FROM {LibraryEntry._meta.db_table} e JOIN ({sql}) c "  # noqa: S608
            "ON c.case_id = e.case_id ORDER BY c.weight DESC, c.case_id DESC",
            params,
        )
        return [entry_of_row(r) for r in rows]
    earlier = LibraryEntry.objects.filter(organ_id=organ_id).filter(
        Q(received_on__lt=entry.received_on)
        | Q(received_on=entry.received_on, case_id__lt=entry.id)
    )
    ids = candidate_ids(entry, organ_id, limit)
    found: Iterable[LibraryEntry] = earlier.filter(case_id__in=ids)
    by_id = {r.case_id: r for r in found}
    return [entry_of_row(by_id[i]) for i in ids if i in by_id]
