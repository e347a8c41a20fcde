"""bench_similar prepares the benchmark organ idempotently (issue 27 point 2): on a freshly
seeded or grown database it gives the placeholder cases realistic text and indexes only the
cases without a library entry, then times the lookups."""

import re
from io import StringIO

from django.core.management import call_command

import pytest

from casework.library.models import LibraryEntry, LibraryPosting
from casework.models import Case
from workflows.bench_prepare import PLACEHOLDER

# What an entry of a placeholder case holds (测试申请N, "申请" dropped as boilerplate).
PLACEHELD = r"^测试[0-9]+$"


def _bench_similar() -> str:
    out = StringIO()
    call_command("bench_similar", "--lookups-only", "--lookups", "5", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_bench_similar_indexes_a_seeded_then_grown_organ_once(official_calendar, users):
    call_command("seed_bench", cases=60, stdout=StringIO())
    first = _bench_similar()
    assert "案例库新增 60 件案件" in first, first
    assert re.search(r"查找耗时（\w+，机关 \d+，60 件）：p50=[\d.]+ ms p95=[\d.]+ ms", first), first
    assert LibraryEntry.objects.count() == 60
    assert not Case.objects.filter(subject__startswith=PLACEHOLDER).exists()
    # The entries hold the realistic texts, not the placeholders they replaced.
    assert not LibraryEntry.objects.filter(core_text__regex=PLACEHELD).exists()

    call_command("seed_bench", cases=15, stdout=StringIO())
    second = _bench_similar()
    assert "案例库新增 15 件案件" in second, second
    assert "75 件）" in second
    assert LibraryEntry.objects.count() == 75
    assert LibraryPosting.objects.values("case_id").distinct().count() == 75
    assert "案例库新增" not in _bench_similar()  # nothing left to index


@pytest.mark.django_db
def test_entries_indexed_from_placeholders_are_redone_after_the_texts_are_rewritten(
    official_calendar, users
):
    call_command("seed_bench", cases=20, stdout=StringIO())
    call_command("library_rebuild", stdout=StringIO(), stderr=StringIO())  # placeholders indexed
    assert LibraryEntry.objects.filter(core_text__regex=PLACEHELD).count() == 20
    out = _bench_similar()
    assert "案例库新增 20 件案件" in out, out
    assert not LibraryEntry.objects.filter(core_text__regex=PLACEHELD).exists()


@pytest.mark.django_db
def test_library_rebuild_missing_writes_only_what_has_no_entry(official_calendar, users):
    call_command("seed_bench", cases=30, stdout=StringIO())
    out = StringIO()
    call_command("library_rebuild", stdout=out, stderr=StringIO())
    assert "30 件案件" in out.getvalue()
    LibraryEntry.objects.filter(case_id__in=Case.objects.order_by("pk")[:7].values("pk")).delete()
    out = StringIO()
    call_command("library_rebuild", "--missing", stdout=out, stderr=StringIO())
    assert "案例库已重建：7 件案件" in out.getvalue()
    assert LibraryEntry.objects.count() == 30
