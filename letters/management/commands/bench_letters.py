"""Benchmark letter rendering: milliseconds per letter and the process's memory.

    manage.py bench_letters --count 100

Renders a sample letter (HTML + PDF, as letter_issue does) `count` times from a demo case
built through the real services (rolled back afterwards) and prints p50/p95 milliseconds and
the resident memory after the first and after the last letter.
"""

import resource
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from casework.models import Case
from letters.context import build_letter_context
from letters.kinds import KINDS, Kind
from letters.rendering import html_to_pdf, render_letter_html
from letters.sample import sample_case
from letters.services import current_wording


def _rss_mb() -> float:
    """Current resident set size (Linux /proc), falling back to the peak."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * resource.getpagesize() / 1024 / 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "p50/p95 ms per letter and memory after the first and the last letter."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=100)
        parser.add_argument("--kind", default="reply.partial")

    def handle(self, *args: Any, count: int, kind: str, **options: Any) -> None:
        if kind not in KINDS:
            raise CommandError(f"未知的文书类型：{kind}。")
        if not 1 <= count <= 10_000:
            raise CommandError("--count 须在 1 至 10000 之间。")
        spec = KINDS[kind]
        with sample_case(spec) as case:
            times, memory, size = self._run(case, spec, count)
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        self.stdout.write(f"letters: {count} ({spec.label}), PDF size {size:,} bytes")
        self.stdout.write(f"first letter: {times[0]:.0f} ms (fonts loaded once per process)")
        self.stdout.write(
            f"p50 {statistics.median(times):.0f} ms  p95 {p95:.0f} ms  max {max(times):.0f} ms"
        )
        self.stdout.write(
            f"memory after the first letter {memory[0]:.1f} MB, after the last {memory[-1]:.1f} MB "
            f"(ratio {memory[-1] / memory[0]:.2f})"
        )

    def _run(self, case: Case, spec: Kind, count: int) -> tuple[list[float], list[float], int]:
        wording = current_wording(spec.key).body
        times: list[float] = []
        memory: list[float] = []
        size = 0
        for n in range(count):
            started = time.perf_counter()
            context = build_letter_context(
                case=case,
                kind=spec,
                number=f"{case.organ.letter_number_prefix}〔{timezone.localdate().year}〕{n + 1}号",
                issued_on=timezone.localdate(),
            )
            pdf = html_to_pdf(
                render_letter_html(
                    context=context, wording=wording, verification_code="BENC-HMAR-K000"
                )
            )
            times.append((time.perf_counter() - started) * 1000)
            memory.append(_rss_mb())
            if not pdf.startswith(b"%PDF"):
                raise CommandError("rendering produced no PDF")
            size = len(pdf)
        return times, memory, size
