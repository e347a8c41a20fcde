"""bench_search prepares the benchmark organ idempotently: once seed_bench has added cases to
a prepared database, a second run prepares only the new ones and numbers their letters on from
the last (issue 27: it crashed with a duplicate 文号 on a grown database)."""

import re
from io import StringIO

from django.core.management import call_command

import pytest

from casework.choices import CaseStatus
from casework.models import Case
from letters.models import Letter


def _bench_search() -> str:
    out = StringIO()
    call_command("bench_search", repeat=1, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_bench_search_runs_again_after_seed_bench_grows_the_organ(official_calendar, users):
    call_command("seed_bench", cases=200, stdout=StringIO())
    first = _bench_search()
    assert re.search(r"ALL \w+\s+p50\s+[\d.]+ ms\s+p95\s+[\d.]+ ms", first), first
    assert re.search(r"ALL \w+\s+p95 / admin change list p95 = \d+\.\d\d", first), first
    call_command("seed_bench", cases=40, stdout=StringIO())
    second = _bench_search()
    assert "giving 40 benchmark cases realistic text" in second
    assert "cases in the database" in second

    replied = Case.objects.filter(status__in=[CaseStatus.REPLIED, CaseStatus.ARCHIVED])
    letters = Letter.objects.filter(number__startswith="测试依复")
    assert letters.count() == replied.count()
    numbers = list(letters.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))  # one series per year, no number twice
    assert not Case.objects.filter(subject__startswith="测试申请").exists()
    assert "giving" not in _bench_search()  # nothing left to prepare
