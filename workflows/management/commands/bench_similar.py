"""manage.py bench_similar: the case library's figures on the labelled set and its lookup
time on the largest organ of this database.

1. The labelled set (tests/data/similar_set.jsonl, written by tests/data/make_similar_set.py):
   hit@1, recall@10, same-information precision/recall, false 36(6) flags, repeat recall,
   routing accuracy, popular-topic recall — for the library and for the naive
   character-overlap baseline.
2. Lookup time: `similar_cases` on --lookups cases of the benchmark organ of `seed_bench`
   (else the organ with the most library entries), p50/p95 in ms with the organ's size, so
   runs at 10,000, 100,000 and 1,000,000 cases show the growth.

It prepares the benchmark organ first, idempotently, on a fresh, grown or re-seeded database
(issue 27 point 2): realistic texts for the cases still holding seed_bench's placeholders
(workflows/bench_prepare.py, as bench_search does; their stale entries dropped), then the
library entries of every case that has none (casework.library.rebuild), with progress bars.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.models import Count

from casework.library.evaluation import evaluate
from casework.library.index import CANDIDATES, entry_of_row
from casework.library.match import RULES_VERSION
from casework.library.models import LibraryEntry
from casework.library.postings import TABLE, candidate_ids
from casework.library.rebuild import library_build, library_forget
from casework.library.selectors import similar_cases
from casework.management.commands.similar_eval import read_requests
from casework.management.progress import ProgressBar
from casework.models import Case, Organ
from workflows.bench_prepare import PLACEHOLDER, bench_texts_prepare
from workflows.management.commands.seed_bench import BENCH_ORGAN

DEFAULT_SET = Path(settings.BASE_DIR) / "tests" / "data" / "similar_set.jsonl"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


GROWTH_BASE = 10_000
BULK_FROM = 50_000  # cases to index before the build uses every core and --bulk


class Command(BaseCommand):
    help = "Prints the case library's metrics on the labelled set and its lookup time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--set", type=Path, default=DEFAULT_SET)
        parser.add_argument("--lookups", type=int, default=200)
        parser.add_argument("--seed", type=int, default=25)
        parser.add_argument("--lookups-only", action="store_true", help="skip the labelled set")

    def handle(
        self, *args: Any, set: Path, lookups: int, seed: int, lookups_only: bool, **options: Any
    ) -> None:
        if lookups_only:
            self._lookups(lookups, random.Random(seed))
            return
        rows = read_requests(set, lambda m: self.stderr.write(m))
        self.stdout.write(f"标注集：{set.name}，{len(rows)} 件请求")
        for label, naive in (("案例库", False), ("基线（仅字符重合）", True)):
            result = evaluate(rows, naive=naive)
            self.stdout.write(f"— {label}")
            for name, value in result.metrics.items():
                self.stdout.write(f"  {name}: {value}")
            self.stdout.write(
                f"  lookup_ms p50={percentile(result.lookup_ms, 0.5):.1f} "
                f"p95={percentile(result.lookup_ms, 0.95):.1f} (in memory)"
            )
        self._lookups(lookups, random.Random(seed))

    def _growth(self, organ_id: int, size: int, rng: random.Random) -> None:
        """The candidate lookup (the only part of a lookup that depends on the organ's size:
        casework.library.postings) on the organ's first 10,000 entries, copied as a scratch
        organ (negative ids) into the postings table and removed afterwards, and on all of
        them, interleaved under the same machine load."""
        scratch = -organ_id
        sample_rows = list(
            LibraryEntry.objects.filter(organ_id=organ_id).order_by("case_id")[:GROWTH_BASE]
        )
        sample = [entry_of_row(r) for r in rng.sample(sample_rows, min(100, len(sample_rows)))]
        times: dict[int, list[float]] = {scratch: [], organ_id: []}
        copy = (
            f"INSERT INTO {TABLE} (case_id, term, organ_id, received_on) "  # noqa: S608
            f"SELECT -case_id, term, %s, received_on FROM {TABLE} "
            "WHERE organ_id = %s AND case_id <= %s"
        )
        remove = f"DELETE FROM {TABLE} WHERE organ_id = %s"  # noqa: S608
        # Committed and vacuumed like the real postings (index-only scans need the visibility
        # map), removed again afterwards — also what an interrupted earlier run left.
        vacuum = "" if connection.in_atomic_block else "VACUUM "
        with connection.cursor() as cursor:
            cursor.execute(remove, [scratch])
            cursor.execute(copy, [scratch, organ_id, sample_rows[-1].case_id])
            cursor.execute(f"{vacuum}ANALYZE {TABLE}")
        try:
            for _round in range(2):
                for organ, found in times.items():
                    for entry in sample:
                        started = time.perf_counter()
                        candidate_ids(entry, organ, CANDIDATES)
                        found.append((time.perf_counter() - started) * 1000)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(remove, [scratch])
                cursor.execute(f"{vacuum}ANALYZE {TABLE}")
        small, large = times[scratch], times[organ_id]
        self.stdout.write(
            f"候选查询增长：{GROWTH_BASE} 件 p50={statistics.median(small):.1f} ms "
            f"p95={percentile(small, 0.95):.1f} ms → {size} 件 "
            f"p50={statistics.median(large):.1f} ms p95={percentile(large, 0.95):.1f} ms "
            f"（规模 ×{size / GROWTH_BASE:.0f}，耗时 ×"
            f"{statistics.median(large) / max(statistics.median(small), 0.001):.1f}）"
        )

    def _prepare(self, rng: random.Random) -> None:
        """Realistic texts and library entries for the benchmark organ, where missing."""
        organ = Organ.objects.filter(name=BENCH_ORGAN).first()
        if organ is None:
            return
        cases = Case.objects.filter(organ=organ)
        stale = cases.filter(subject__startswith=PLACEHOLDER, library_entry__isnull=False)
        stale_ids = list(stale.values_list("pk", flat=True))
        for start in range(0, len(stale_ids), 5000):
            library_forget(stale_ids[start : start + 5000])
        bench_texts_prepare(organ, rng, self.stdout.write)
        current = LibraryEntry.objects.filter(organ=organ, rules_version=RULES_VERSION)
        missing = cases.count() - current.count()
        # Many at once (a grown database): every core, and the lookup index built at the end.
        many = missing > BULK_FROM
        done, terms = library_build(
            cases,
            missing_only=True,
            workers=(os.cpu_count() or 1) if many else 1,
            bulk=many,
            progress=ProgressBar("索引测试案件"),
        )
        if done:
            self.stdout.write(f"  案例库新增 {done:,} 件案件，{terms:,} 条索引项")

    def _lookups(self, lookups: int, rng: random.Random) -> None:
        self._prepare(rng)
        bench = Organ.objects.filter(name=BENCH_ORGAN).first()
        entries = LibraryEntry.objects.all()
        if bench is not None:
            entries = entries.filter(organ=bench)
        biggest = entries.values("organ_id").annotate(n=Count("case_id")).order_by("-n").first()
        if biggest is None or lookups <= 0:
            self.stdout.write("查找耗时：本库没有案例库条目（先运行 library_rebuild）。")
            return
        organ_id, size = biggest["organ_id"], biggest["n"]
        ids = list(LibraryEntry.objects.filter(organ_id=organ_id).values_list("case_id", flat=True))
        sample = rng.sample(ids, min(lookups, len(ids)))
        times = []
        for case in Case.objects.select_related("applicant").filter(pk__in=sample):
            started = time.perf_counter()
            similar_cases(case)
            times.append((time.perf_counter() - started) * 1000)
        if size > GROWTH_BASE:
            self._growth(organ_id, size, rng)
        self.stdout.write(
            f"查找耗时（{connection.vendor}，机关 {organ_id}，{size} 件）："
            f"p50={statistics.median(times):.1f} ms p95={percentile(times, 0.95):.1f} ms"
            f"（{len(times)} 次）"
        )
