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


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


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
        for kind in kinds:
            data = sample_text_pdf(pages) if kind == "text" else sample_scanned_pdf(pages)
            started = time.perf_counter()
            redactions = suggestion_redactions(data, label=label)
            found = time.perf_counter() - started
            boxes = sum(len(r.boxes) for r in redactions.values())
            started = time.perf_counter()
            burn_in(data, redactions, text_layer=False)
            burned = time.perf_counter() - started
            started = time.perf_counter()
            burn_in(data, redactions, text_layer=True)
            burned_text = time.perf_counter() - started
            own, children = _peak_mb()
            self.stdout.write(
                f"{kind:8s} {pages} pages: suggestions ({'OCR' if kind == 'scanned' else 'text layer'}) "
                f"{found:.1f} s, {boxes} boxes; burn-in {burned:.1f} s "
                f"→ total {found + burned:.1f} s; with OCR text layer {burned_text:.1f} s "
                f"→ total {found + burned_text:.1f} s; peak memory {own:.0f} MB "
                f"(largest child process {children:.0f} MB)"
            )
