"""library_build: the same entries and postings whether written by one process or several,
with the lookup index dropped and rebuilt (`--bulk`) or kept; `--missing` goes on where an
interrupted build stopped."""

from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection

import pytest

from casework.library.match import RULES_VERSION
from casework.library.models import LibraryEntry, LibraryPosting
from casework.library.rebuild import LOOKUP_INDEX, library_behind, library_build
from casework.models import Case


def _postings() -> set[tuple[int, int]]:
    return set(LibraryPosting.objects.values_list("case_id", "term"))


def _lookup_index_exists() -> bool:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, "case_library_libraryposting"
        )
    return LOOKUP_INDEX in constraints


# Committed data (transaction=True): the worker processes (PostgreSQL; SQLite writes in one
# process) connect on their own and must see the seeded cases.
@pytest.mark.django_db(transaction=True)
def test_two_workers_and_bulk_write_what_one_process_writes(official_calendar, users):
    call_command("seed_bench", cases=120, stdout=StringIO())
    library_build(Case.objects.all())
    one = _postings()
    entries = {e.case_id: (e.core_text, e.facts) for e in LibraryEntry.objects.all()}
    LibraryPosting.objects.all().delete()
    LibraryEntry.objects.all().delete()
    done, terms = library_build(Case.objects.all(), workers=2, bulk=True)
    assert done == 120
    assert terms == len(one)
    assert _postings() == one
    assert {e.case_id: (e.core_text, e.facts) for e in LibraryEntry.objects.all()} == entries
    assert _lookup_index_exists()  # rebuilt after the bulk write


@pytest.mark.django_db
def test_missing_only_goes_on_where_a_build_stopped(official_calendar, users):
    call_command("seed_bench", cases=40, stdout=StringIO())
    library_build(Case.objects.all())
    everything = _postings()
    stopped_at = Case.objects.order_by("pk")[24].pk
    LibraryPosting.objects.filter(case_id__gte=stopped_at).delete()
    LibraryEntry.objects.filter(case_id__gte=stopped_at).delete()
    done, _terms = library_build(Case.objects.all(), missing_only=True)
    assert done == 16
    assert _postings() == everything
    assert _lookup_index_exists()


@pytest.mark.django_db
def test_entries_of_older_rules_are_rewritten_by_missing_only(official_calendar, users):
    call_command("seed_bench", cases=12, stdout=StringIO())
    library_build(Case.objects.all())
    everything = _postings()
    older = list(Case.objects.order_by("pk").values_list("pk", flat=True)[:5])
    LibraryEntry.objects.filter(case_id__in=older).update(rules_version=RULES_VERSION - 1)
    LibraryPosting.objects.filter(case_id__in=older[:2]).delete()
    LibraryPosting.objects.create(case_id=older[0], term=1, organ_id=1, received_on="2026-01-05")
    assert library_behind()
    done, _terms = library_build(Case.objects.all(), missing_only=True)
    assert done == 5
    assert not LibraryEntry.objects.exclude(rules_version=RULES_VERSION).exists()
    assert _postings() == everything  # the old postings replaced, the stray one gone
    assert not library_behind()


@pytest.mark.django_db
def test_library_rebuild_enqueue_queues_the_catch_up_only_when_behind(official_calendar, users):
    call_command("seed_bench", cases=3, stdout=StringIO())  # written in bulk: no entries
    out = StringIO()
    call_command("library_rebuild", "--missing", "--enqueue", stdout=out)
    assert "已交后台任务补建" in out.getvalue()
    assert LibraryEntry.objects.count() == 3  # the test settings run jobs at once
    out = StringIO()
    call_command("library_rebuild", "--missing", "--enqueue", stdout=out)
    assert "案例库已是最新" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("library_rebuild", "--enqueue", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_lookup_index_left_dropped_by_a_killed_bulk_build_is_put_back(official_calendar, users):
    # A bulk build killed halfway (SIGKILL: no `finally`) leaves the index dropped; the next
    # build, or the check `bin/bootstrap serve` runs, creates it again.
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {LOOKUP_INDEX}")
    assert not _lookup_index_exists()
    call_command("library_rebuild", "--missing", "--enqueue", stdout=StringIO())
    assert _lookup_index_exists()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {LOOKUP_INDEX}")
    library_build(Case.objects.all(), missing_only=True)
    assert _lookup_index_exists()
