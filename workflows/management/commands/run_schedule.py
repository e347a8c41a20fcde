"""Scheduled work (cron in production; the demo runs it in the background): viewflow timers,
abandonment of expired corrections and fees, reminders, the daily digest, due e-mail.
The work itself is workflows.schedule.schedule_run; this command runs it once and prints
what it did."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from workflows.schedule import schedule_run


class Command(BaseCommand):
    help = (
        "Timers, abandonment of expired corrections and fees, reminders, the daily digest, e-mail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=date.fromisoformat, help="run as of this date (testing)"
        )

    def handle(self, *args: Any, today: date | None = None, **options: Any) -> None:
        report = schedule_run(now=timezone.now(), today=today)
        for line in report.lines():
            self.stdout.write(line)
