"""The scheduler: enqueues the periodic jobs for the workers (casework.tasks).

    manage.py scheduler            # runs in the foreground (bin/bootstrap run/serve, systemd)
    manage.py scheduler --once     # enqueue each job once and exit (a systemd timer or cron)

Every SCHEDULE_INTERVAL_SECONDS: run_schedule (timers, abandonment, reminders, digest, due
e-mail). Every minute: a heartbeat (/healthz shows its age). Daily: prune old job results.
run_schedule is idempotent, so a second scheduler by mistake, or a run that overlaps the
previous one, does nothing twice.
"""

from __future__ import annotations

import logging
import signal
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from django_tasks.base import Task

from casework import tasks

log = logging.getLogger("casework.scheduler")

HEARTBEAT_SECONDS = 60
PRUNE_SECONDS = 24 * 3600


class Command(BaseCommand):
    help = "Enqueue the periodic jobs (run_schedule, heartbeat, pruning) for the workers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="enqueue each job once and exit")

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        jobs: list[tuple[Task[[], str], int]] = [
            (tasks.heartbeat, HEARTBEAT_SECONDS),
            (tasks.prune_results, PRUNE_SECONDS),
        ]
        if settings.SCHEDULE_INTERVAL_SECONDS > 0:
            # 0 leaves run_schedule to a systemd timer (`scheduler --once`) or to nobody
            # (the load test, whose synthetic cases must not be abandoned under it).
            jobs.insert(1, (tasks.run_schedule, settings.SCHEDULE_INTERVAL_SECONDS))
        if once:
            for job, _period in jobs:
                job.enqueue()
            self.stdout.write("已加入队列：" + "、".join(job.name for job, _p in jobs))
            return
        self.running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        log.info("scheduler started (run_schedule every %ss)", settings.SCHEDULE_INTERVAL_SECONDS)
        next_at = dict.fromkeys((job.name for job, _p in jobs), 0.0)
        while self.running:
            now = time.monotonic()
            for job, period in jobs:
                if now >= next_at[job.name]:
                    close_old_connections()
                    try:
                        result = job.enqueue()
                    except Exception:  # the database is away: log, try again next tick
                        log.exception("could not enqueue %s", job.name)
                        continue
                    log.info("enqueued %s id=%s", job.name, result.id)
                    next_at[job.name] = now + period
            time.sleep(1)
        log.info("scheduler stopped")

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.running = False
