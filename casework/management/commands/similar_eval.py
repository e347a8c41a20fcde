"""manage.py similar_eval IN.jsonl --out OUT.jsonl: the case library's evaluation interface.

Reads requests {"id", "text", "applicant", "received_on", "replied_on"?, "division"?,
"cluster"?}, one JSON object a line, takes them in received_on order (ties by id) into a
scratch library of their own (in memory: no organ's cases are read or written) and answers
each from the requests before it only: {"id", "similar", "same", "repeat_of", "division"}.
A request's own division is never part of its answer. With a "cluster" on every request it
prints hit@1, recall@10, the precision and recall of "same", the false-repeat rate, repeat
recall, routing accuracy and popular-topic recall.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.library.evaluation import evaluate
from casework.management.progress import ProgressBar
from casework.payloads import Payload


def read_requests(path: Path, warn: Callable[[str], object]) -> list[Payload]:
    rows = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise CommandError(f"无法读取 {path}：{exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            warn(f"第 {number} 行不是 JSON，已跳过：{exc}")
            continue
        if not isinstance(row, dict):
            warn(f"第 {number} 行不是对象，已跳过。")
            continue
        rows.append(row)
    return rows


class Command(BaseCommand):
    help = "Evaluates the case library on a JSONL file of requests (see module docstring)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", type=Path)
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, input: Path, out: Path, **options: Any) -> None:
        rows = read_requests(input, lambda m: self.stderr.write(m))
        result = evaluate(rows, progress=ProgressBar("逐件比对"))
        with out.open("w", encoding="utf-8") as f:
            for answer in result.answers:
                f.write(json.dumps(answer, ensure_ascii=False) + "\n")
        self.stdout.write(f"{len(result.answers)} 件请求的答案已写入 {out}。")
        for name, value in result.metrics.items():
            self.stdout.write(f"{name}: {value}")
