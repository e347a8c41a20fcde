"""Print the transition table (casework.lifecycle.table): name, label, from → to, who may
fire it, its input fields, the letter kinds that document it (letters/registry.py);
`--format json` for tools."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from casework.choices import CaseStatus
from casework.lifecycle import TRANSITIONS, TransitionSpec
from casework.lifecycle.roles import rules_text
from casework.payloads import Payload


def _state(value: str) -> str:
    return str(CaseStatus(value).label) if value else "（新）"


def spec_as_data(spec: TransitionSpec) -> Payload:
    return {
        "name": spec.name,
        "label": spec.label,
        "from": list(spec.source),
        "to": spec.target
        if spec.target is None or isinstance(spec.target, str)
        else "(decided by the case)",
        "roles": rules_text(spec.roles),
        "fields": [
            {
                "name": name,
                "label": str(field.label),
                "required": field.required,
                "type": type(field).__name__,
            }
            for name, field in spec.form.base_fields.items()
        ],
        "article": spec.article,
        "completes": list(spec.completes),
        "flow": spec.flow,
        "offered": spec.offered,
        "letters": list(spec.letters),
        "guards": [g.__name__ for g in spec.guards],
    }


class Command(BaseCommand):
    help = "Print the case lifecycle's transition table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = [spec_as_data(spec) for spec in TRANSITIONS.values()]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for spec, row in zip(TRANSITIONS.values(), rows, strict=True):
            source = "、".join(_state(s) for s in spec.source)
            if spec.target is None:
                target = "（不变）"
            elif isinstance(spec.target, str):
                target = _state(spec.target)
            else:
                target = "（补正前的状态）"
            fields = (
                ", ".join(f"{f['name']}{'' if f['required'] else '?'}" for f in row["fields"])
                or "—"
            )
            flags = "" if spec.offered else "  [services only]"
            self.stdout.write(f"{spec.name:<20} {spec.label}{flags}")
            self.stdout.write(f"    {source} → {target}")
            self.stdout.write(f"    roles: {', '.join(row['roles'])}")
            self.stdout.write(f"    fields: {fields}")
            if spec.article:
                self.stdout.write(f"    basis: {spec.article}")
            if spec.letters:  # written by the letter registry (letters/registry.py)
                self.stdout.write(f"    letters: {', '.join(spec.letters)}")
