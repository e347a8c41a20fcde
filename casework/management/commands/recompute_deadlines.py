"""Recompute the stored time limits of open cases (after a calendar change)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from casework.lifecycle import cases_recompute_clocks
from casework.management.progress import ProgressBar


class Command(BaseCommand):
    help = "Recompute the time limits of open cases; each change is recorded as an event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="also revisit cases computed with the current calendar",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        report = cases_recompute_clocks(
            now=timezone.now(), force=options["all"], progress=ProgressBar("重新计算办理时限")
        )
        for number, diff in report.changes or []:
            parts = "；".join(f"{field}: {old} → {new}" for field, (old, new) in diff.items())
            self.stdout.write(f"{number}  {parts}")
        if report.changed > len(report.changes or []):
            self.stdout.write(f"……另有 {report.changed - len(report.changes or [])} 件")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"已检查在办案件 {report.checked} 件，时限变化 {report.changed} 件，用时 {elapsed:.2f} 秒。"
        )
