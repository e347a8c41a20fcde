"""Writing many library entries at once: `manage.py library_rebuild` (all of an organ's cases,
or only those without an entry) and the benchmarks, which index a grown database before they
measure (issue 27 point 2). The background job (casework.library.index.library_refresh) keeps
single entries current after that."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from casework.library.index import entry_of_case
from casework.library.models import LibraryEntry, LibraryPosting
from casework.library.postings import TABLE, postings_write
from casework.models import Case

BATCH = 1000
UPDATED = [
    "organ",
    "applicant_keys",
    "core_text",
    "topic_text",
    "facts",
    "received_on",
    "replied_on",
    "division",
    "indexed_at",
]


def library_entries_write(
    cases: QuerySet[Case],
    *,
    missing_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Write (or rewrite) the entries and postings of `cases`, BATCH cases a transaction, in
    id order; with `missing_only`, only the cases that have no entry yet, so an interrupted
    run goes on where it stopped. The progress counts the cases looked at. Returns (cases
    written, postings written)."""
    total = cases.count()
    done, scanned, last, terms = 0, 0, 0, 0
    now = timezone.now()
    while True:
        # Ids first, then the cases of the batch: a join of the cases with their missing
        # entries is planned as a nested loop once the entries' statistics are stale (27 s a
        # batch at 40,000 entries, on PostgreSQL).
        ids = list(cases.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            break
        last = ids[-1]
        scanned += len(ids)
        if missing_only:
            have = set(
                LibraryEntry.objects.filter(case_id__in=ids).values_list("case_id", flat=True)
            )
            ids = [pk for pk in ids if pk not in have]
        batch = list(Case.objects.filter(pk__in=ids).select_related("applicant").order_by("pk"))
        rows = []
        postings = []
        for case in batch:
            entry = entry_of_case(case)
            postings.append((case.pk, case.organ_id, entry.received_on, entry))
            rows.append(
                LibraryEntry(
                    case_id=case.pk,
                    organ_id=case.organ_id,
                    applicant_keys=sorted(entry.applicant_keys),
                    core_text=entry.core,
                    topic_text=entry.topic,
                    facts=entry.facts.as_json(),
                    received_on=entry.received_on,
                    replied_on=entry.replied_on,
                    division_id=case.lead_division_id,
                    indexed_at=now,
                )
            )
        if rows:
            with transaction.atomic():
                LibraryEntry.objects.bulk_create(
                    rows, update_conflicts=True, unique_fields=["case"], update_fields=UPDATED
                )
                terms += postings_write(postings, replace=not missing_only)
        done += len(batch)
        if progress is not None:
            progress(scanned, total)
    if progress is not None and total == 0:
        progress(0, 0)
    if done:
        library_analyze()
    return done, terms


def library_forget(case_ids: list[int]) -> None:
    """Drop the entries and postings of cases whose text was rewritten outside the lifecycle
    (the benchmarks' text preparation), so that the next write indexes them afresh."""
    LibraryPosting.objects.filter(case_id__in=case_ids).delete()
    LibraryEntry.objects.filter(case_id__in=case_ids).delete()


def library_analyze() -> None:
    """Fresh planner statistics after many entries were written (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    # Without them the planner sorts every entry instead of walking the index (500 ms instead
    # of 30 at 10,000 cases). The postings are read by index-only scans: VACUUM sets the
    # visibility map (not possible inside a test's transaction).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE case_library_libraryentry")
        vacuum = "" if connection.in_atomic_block else "VACUUM "
        cursor.execute(f"{vacuum}ANALYZE {TABLE}")
