"""manage.py bench_redaction --pages 100
manage.py bench_redaction --scans 60

--pages: times the engine on generated records (a text PDF and the same pages scanned):
reading the text layer or OCR for the suggestions, then the burn-in, with and without the OCR
text layer on the released pages.

--scans: recall of the personal-information suggestions on generated scanned pages
(letters.records.scan_bench: layouts, fonts, noise, rotation, grouped and boxed digits, with
and without a junk text layer; the same seed gives the same pages): per kind and overall,
precision, and time per page (issue 22, point 6; the target is 95 % of planted numbers).

Prints figures; asserts nothing."""

from __future__ import annotations

import resource
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from letters.records.models import GROUND_SHORT, Ground
from letters.records.redaction import burn_in, suggestion_redactions
from letters.records.samples import sample_scanned_pdf, sample_text_pdf


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (Tesseract)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_mb() -> float:
    """This process's peak resident memory. (The children's ru_maxrss is not reported: a
    forked child counts the parent's pages until it execs, so it only repeats this figure;
    a Tesseract run on a batch of 10 pages peaks near 115 MB, two run at once.)"""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Benchmark OCR and redaction on generated records (prints figures)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pages", type=int, default=100)
        parser.add_argument(
            "--kinds", default="text,scanned", help="which records: text, scanned or both"
        )
        parser.add_argument(
            "--scans",
            type=int,
            default=0,
            help="measure recall on this many generated scanned pages instead (e.g. 60)",
        )
        parser.add_argument("--seed", type=int, default=22, help="of the generated scans")
        parser.add_argument("--show-missed", action="store_true", help="list what was missed")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scans"]:
            self._recall(options["scans"], options["seed"], options["show_missed"])
            return
        pages = options["pages"]
        kinds = options["kinds"].split(",")
        label = GROUND_SHORT[Ground.ART15]
        import os

        self.stdout.write(
            f"{os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.1f} "
            "(other work on the machine slows the wall-clock figures; CPU seconds do not depend on it)"
        )
        for kind in kinds:
            data = sample_text_pdf(pages) if kind == "text" else sample_scanned_pdf(pages)
            figures = []
            for step in ("suggestions", "burn-in", "burn-in + OCR text layer"):
                wall, cpu = time.perf_counter(), _cpu()
                if step == "suggestions":
                    redactions = suggestion_redactions(data, label=label)
                else:
                    burn_in(data, redactions, text_layer=step != "burn-in")
                figures.append((step, time.perf_counter() - wall, _cpu() - cpu))
            boxes = sum(len(r.boxes) for r in redactions.values())
            own = _peak_mb()
            source = "OCR" if kind == "scanned" else "text layer"
            parts = [f"{step} {w:.1f} s (CPU {c:.1f} s)" for step, w, c in figures]
            self.stdout.write(
                f"{kind:8s} {pages} pages, {boxes} boxes, suggestions from the {source}: "
                + "; ".join(parts)
                + f"; total OCR'd and redacted {figures[0][1] + figures[1][1]:.1f} s "
                f"(CPU {figures[0][2] + figures[1][2]:.1f} s), with the text layer "
                f"{figures[0][1] + figures[2][1]:.1f} s (CPU {figures[0][2] + figures[2][2]:.1f} s); "
                f"peak memory of this process {own:.0f} MB (plus two Tesseract processes)"
            )

    def _recall(self, count: int, seed: int, show_missed: bool) -> None:
        from letters.records.scan_bench import evaluate, generate

        started = time.perf_counter()
        pages = generate(count, seed=seed)
        made = time.perf_counter() - started
        score = evaluate(pages)
        self.stdout.write(
            f"{count} generated scanned pages (seed {seed}, made in {made:.1f} s): "
            + ", ".join(
                f"{sum(1 for p in pages if p.text_layer == t)} with a {t} text layer"
                for t in ("none", "junk", "scanner")
            )
        )
        for kind in ("id_number", "mobile", "bank_card", "name"):
            self.stdout.write(
                f"  recall {kind:10s} {score.recall(kind):6.1%}  "
                f"({score.found.get(kind, 0)}/{score.planted.get(kind, 0)})"
            )
        numbers = ("id_number", "mobile", "bank_card")
        planted = sum(score.planted.get(k, 0) for k in numbers)
        found = sum(score.found.get(k, 0) for k in numbers)
        self.stdout.write(
            f"  recall of planted numbers {found / planted:6.1%} ({found}/{planted}); "
            f"overall (names too) {score.recall():6.1%}"
        )
        self.stdout.write(
            f"  precision {score.precision():6.1%} "
            f"({score.true_suggestions}/{score.suggestions} suggestions are planted values)"
        )
        self.stdout.write(
            f"  time {score.seconds / score.pages:.2f} s per page "
            f"(text layer, OCR and detection; {score.seconds:.1f} s in all)"
        )
        if show_missed:
            for line in score.missed:
                self.stdout.write(f"  missed: {line}")
