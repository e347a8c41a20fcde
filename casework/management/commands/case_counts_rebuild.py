"""manage.py case_counts_rebuild [--check]: recount the supervision dashboard's counts from
the cases (casework.case_counts), with a progress bar. Run once after migration 0021 on a
database that already has cases; the lifecycle keeps the counts after that. `--check` only
compares the stored counts with a full recount and fails when they differ."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.case_counts import counts_rebuild, counts_verify
from casework.management.progress import ProgressBar


class Command(BaseCommand):
    help = "Recounts the supervision dashboard's counts from the cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="compare with a full recount, change nothing"
        )

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        started = time.perf_counter()
        if check:
            problems = counts_verify()
            for line in problems[:20]:
                self.stderr.write(line)
            if problems:
                raise CommandError(f"统计数与全量重算不符：{len(problems)} 处。")
            self.stdout.write(f"统计数与全量重算一致（{time.perf_counter() - started:.1f} 秒）。")
            return
        run = counts_rebuild(progress=ProgressBar("重算已办结案件"))
        self.stdout.write(
            f"已重算 {run.cases:,} 件案件的统计数，更正 {run.corrected:,} 行"
            f"（{time.perf_counter() - started:.1f} 秒）。"
        )
