"""Writing many library entries at once: `manage.py library_rebuild` (all of an organ's cases,
or only those without an entry) and the benchmarks, which index a grown database before they
measure (issue 27 point 2). The background job (casework.library.index.library_refresh) keeps
single entries current after that."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable

from django.db import connection, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone

from django_tasks import task

from casework.library.index import entry_of_case
from casework.library.match import RULES_VERSION
from casework.library.models import LibraryEntry, LibraryPosting
from casework.library.postings import TABLE, postings_write
from casework.models import Case
from casework.tasks import LONG

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
    "rules_version",
]


def library_entries_write(
    cases: QuerySet[Case],
    *,
    missing_only: bool = False,
    progress: Callable[[int, int], None] | None = None,
    analyze: bool = True,
) -> tuple[int, int]:
    """Write (or rewrite) the entries and postings of `cases`, BATCH cases a transaction, in
    id order; with `missing_only`, only the cases that have no entry of the current rules
    (`RULES_VERSION`) yet, so an interrupted run goes on where it stopped and an upgrade
    rewrites what older rules wrote. The progress counts the cases looked at. Returns (cases
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
            current = LibraryEntry.objects.filter(case_id__in=ids, rules_version=RULES_VERSION)
            have = set(current.values_list("case_id", flat=True))
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
                    rules_version=RULES_VERSION,
                )
            )
        if rows:
            with transaction.atomic():
                LibraryEntry.objects.bulk_create(
                    rows, update_conflicts=True, unique_fields=["case"], update_fields=UPDATED
                )
                # An entry of older rules has postings of its own: replaced (a missing one has none).
                terms += postings_write(postings, replace=True)
        done += len(batch)
        if progress is not None:
            progress(scanned, total)
    if progress is not None and total == 0:
        progress(0, 0)
    if done and analyze:
        library_analyze()
    return done, terms


LOOKUP_INDEX = "library_posting_lookup"  # as created by case_library migration 0003
LOOKUP_COLUMNS = "(organ_id, term, received_on, case_id)"


def library_build(
    cases: QuerySet[Case],
    *,
    missing_only: bool = False,
    workers: int = 1,
    bulk: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """`library_entries_write` over `workers` processes, each writing a contiguous range of
    case ids (the indexing is CPU work in Python; one process leaves the database's core
    idle; on SQLite, which takes one writer at a time, one process). With `bulk` on
    PostgreSQL the postings' lookup index is dropped while writing and built once at the end —
    a sort instead of millions of random B-tree inserts, for the first build of a large organ;
    lookups are slow until it is back. A bulk build killed halfway leaves the index dropped:
    every build (and `library_behind`, which `bin/bootstrap serve` calls) puts it back first.
    Returns (cases, postings)."""
    lookup_index_ensure()
    if bulk and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {LOOKUP_INDEX}")
    try:
        if workers <= 1 or connection.vendor == "sqlite":
            # SQLite takes one writer at a time: more processes would only wait for the lock.
            return library_entries_write(cases, missing_only=missing_only, progress=progress)
        return _build_in_processes(cases, missing_only, workers, progress)
    finally:
        if bulk and connection.vendor == "postgresql":
            lookup_index_ensure()
            library_analyze()


def lookup_index_ensure() -> None:
    """The postings' lookup index (case_library migration 0003), created again if missing."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {LOOKUP_INDEX} ON {TABLE} {LOOKUP_COLUMNS}")


def _build_in_processes(
    cases: QuerySet[Case],
    missing_only: bool,
    workers: int,
    progress: Callable[[int, int], None] | None,
) -> tuple[int, int]:
    ids = cases.order_by("pk").values_list("pk", flat=True)
    total = ids.count()
    if total == 0:
        return library_entries_write(cases, missing_only=missing_only, progress=progress)
    # Contiguous ranges of about equal size: the first id of each share.
    bounds = [ids[total * n // workers] for n in range(workers)] + [None]
    context = multiprocessing.get_context("fork")
    scanned = [context.Value("q", 0) for _ in range(workers)]
    written = [context.Value("q", 0) for _ in range(workers)]
    postings = [context.Value("q", 0) for _ in range(workers)]

    def work(n: int) -> None:
        share = cases.filter(pk__gte=bounds[n])
        if bounds[n + 1] is not None:
            share = share.filter(pk__lt=bounds[n + 1])

        def report(done: int, _total: int) -> None:
            scanned[n].value = done

        cases_done, terms = library_entries_write(share, missing_only=missing_only, progress=report)
        written[n].value, postings[n].value = cases_done, terms

    # No connection crosses the fork: each child opens its own, the parent reopens after.
    connections.close_all()
    children = [context.Process(target=work, args=(n,)) for n in range(workers)]
    for child in children:
        child.start()
    while any(child.is_alive() for child in children):
        if progress is not None:
            progress(min(sum(v.value for v in scanned), total - 1), total)
        time.sleep(0.5)
    failed = [child.exitcode for child in children if child.exitcode != 0]
    if failed:
        raise RuntimeError(f"library_build: {len(failed)} worker(s) failed ({failed})")
    if progress is not None:
        progress(total, total)
    library_analyze()
    return sum(v.value for v in written), sum(v.value for v in postings)


def library_behind() -> bool:
    """Some case has no entry of the current rules (an upgrade changed them, or cases were
    written in bulk)."""
    lookup_index_ensure()
    return (
        LibraryEntry.objects.exclude(rules_version=RULES_VERSION).exists()
        or Case.objects.filter(library_entry__isnull=True).exists()
    )


@task(queue_name=LONG)
def library_catch_up() -> None:
    """The worker's job that `library_rebuild --missing --enqueue` queues (bin/bootstrap serve,
    after migrating): write the entries that are missing or were written by older rules, while
    the site serves (lookups compare the old entries by their old facts meanwhile)."""
    library_entries_write(Case.objects.all(), missing_only=True)


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
