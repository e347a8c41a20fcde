"""manage.py redact_pdf IN.pdf OUT.pdf [--boxes boxes.json] [--apply-pii] [--names 李四,王五]

Non-interactive redaction with the same burn-in as the release set (batch use and checks).
boxes.json: [{"page": 1, "box": [x0, y0, x1, y1], "ground": "art15"}, {"page": 2,
"whole_page": true, "ground": "art16_2"}], boxes as fractions of the page from the top left.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.errors import CaseworkError
from letters.records import pdf
from letters.records.models import GROUND_SHORT, Ground
from letters.records.redaction import PageRedactions, burn_in, merge, suggestion_redactions


def boxes_from_json(data: object) -> dict[int, PageRedactions]:
    """The boxes of a boxes.json file, as json.loads read it (checked here)."""
    if not isinstance(data, list):
        raise CommandError("boxes.json must be a list of {page, box, ground} objects.")
    result: dict[int, PageRedactions] = {}
    for item in data:
        try:
            index = int(item["page"]) - 1
            ground = Ground(item.get("ground", Ground.ART15))
        except (KeyError, TypeError, ValueError) as exc:
            raise CommandError(f"Bad entry in boxes.json: {item!r} ({exc})") from None
        label = GROUND_SHORT[ground]
        current = result.get(index, PageRedactions())
        if item.get("whole_page"):
            result[index] = PageRedactions(
                boxes=current.boxes, whole_page=f"本页不予公开（《条例》{label}）"
            )
            continue
        try:
            x0, y0, x1, y1 = (float(v) for v in item["box"])
        except (KeyError, TypeError, ValueError) as exc:
            raise CommandError(f"Bad box in boxes.json: {item!r} ({exc})") from None
        result[index] = PageRedactions(
            boxes=(*current.boxes, ((x0, y0, x1, y1), label)), whole_page=current.whole_page
        )
    return result


class Command(BaseCommand):
    help = "Redact a PDF: apply boxes and/or every personal-information suggestion, burn in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input")
        parser.add_argument("output")
        parser.add_argument("--boxes", help="JSON file of boxes (see the module docstring)")
        parser.add_argument(
            "--apply-pii", action="store_true", help="apply every personal-information suggestion"
        )
        parser.add_argument("--names", default="", help="names to look for, comma separated")
        parser.add_argument(
            "--no-ocr", action="store_true", help="no OCR (suggestions and text layer)"
        )
        parser.add_argument(
            "--no-text-layer", action="store_true", help="no OCR text layer on the output"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["input"])
        if not source.exists():
            raise CommandError(f"{source} does not exist.")
        data = source.read_bytes()
        try:
            kind, _type = pdf.sniff(data, source.name)
            if kind != "pdf":
                raise CommandError("The input must be a PDF.")
            info = pdf.pdf_check(data, source.name)
            started = time.perf_counter()
            maps = []
            if options["boxes"]:
                maps.append(boxes_from_json(json.loads(Path(options["boxes"]).read_text())))
            if options["apply_pii"]:
                names = [n for n in options["names"].replace("，", ",").split(",") if n.strip()]
                maps.append(
                    suggestion_redactions(
                        data,
                        names=names,
                        label=GROUND_SHORT[Ground.ART15],
                        ocr=not options["no_ocr"],
                    )
                )
            redactions = merge(*maps)
            no_layer = options["no_ocr"] or options["no_text_layer"]
            output = burn_in(data, redactions, text_layer=False if no_layer else None)
        except CaseworkError as exc:
            raise CommandError(exc.message) from None
        Path(options["output"]).write_bytes(output)
        boxes = sum(len(r.boxes) for r in redactions.values())
        whole = sum(1 for r in redactions.values() if r.whole_page)
        self.stdout.write(
            f"{options['output']}: {info.pages} pages, {boxes} boxes, {whole} whole pages, "
            f"{time.perf_counter() - started:.1f} s"
        )
