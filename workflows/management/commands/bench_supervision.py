"""Benchmark the supervision dashboard and the annual report (after seed_bench).

manage.py bench_supervision [--requests 50] [--year 2026]
"""

import statistics
import time
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.annual_report import report_as_data
from casework.choices import Role
from casework.models import Case, Organ


class Command(BaseCommand):
    help = "p95 of the supervision dashboard and the time for one annual report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=50)
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args: Any, requests: int, year: int | None, **options: Any) -> None:
        organ = Organ.objects.order_by("pk").first()
        if organ is None or not Case.objects.exists():
            raise CommandError("先运行 manage.py seed_bench --cases 100000。")
        user, created = User.objects.get_or_create(username="bench_supervisor")
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=Role.SUPERVISOR))
        self.stdout.write(f"cases: {Case.objects.count():,}; organ: {organ.name}")
        # The benchmark measures the dashboard, not the second factor: outside the demo a
        # supervisor's session must be OTP-verified, which a benchmark client is not.
        with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False, OTP_REQUIRED_GROUPS=[]):
            client = Client()
            client.force_login(user)
            client.get("/supervision/")
            with CaptureQueriesContext(connection) as queries:
                client.get("/supervision/")
                count = len(queries)
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get("/supervision/")
                times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"dashboard answered {response.status_code}")
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        self.stdout.write(
            f"dashboard: p50 {statistics.median(times):.1f} ms  p95 {p95:.1f} ms  queries {count}  ({requests} requests)"
        )
        year = year or timezone.localdate().year
        started = time.perf_counter()
        data = report_as_data(organ, year)
        elapsed = time.perf_counter() - started
        total = next(r for r in data["table_3"]["rows"] if r["key"] == "results_total")["values"][
            "total"
        ]
        checks = all(data["table_3"]["check"]["holds"].values())
        self.stdout.write(
            f"annual report {year}: {elapsed:.2f} s (results total {total:,}; column checks hold: {checks})"
        )
