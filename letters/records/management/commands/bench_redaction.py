"""manage.py bench_redaction --pages 100

Times the engine on generated records (a text PDF and the same pages scanned): reading the
text layer or OCR for the suggestions, then the burn-in, with and without the OCR text layer
on the released pages. Prints figures; asserts nothing."""

from __future__ import annotations

import resource
import time
from typing import Any

from django.core.management.base import BaseCommand

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

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--pages", type=int, default=100)
        parser.add_argument(
            "--kinds", default="text,scanned", help="which records: text, scanned or both"
        )

    def handle(self, *args: Any, **options: Any) -> None:
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
