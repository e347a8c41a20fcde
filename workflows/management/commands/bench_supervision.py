"""Benchmark the supervision dashboard and the annual report (after seed_bench).

manage.py bench_supervision [--requests 50] [--year 2026]

The dashboard is timed request by request beside the admin's change list of cases (the
reference, workflows/management/reference.py) and printed with the ratio of their p95; the
as-of line of its counts (casework.case_counts) is printed too.
"""

import time
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client
from django.utils import timezone

from casework.annual_report import report_as_data
from casework.case_counts import CaseCountsRebuild
from casework.choices import Role
from casework.models import Case, Organ
from workflows.management.reference import ADMIN_LABEL, measure, ratio_line


class Command(BaseCommand):
    help = "p95 of the supervision dashboard beside the admin change list; one annual report."

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
        recount = CaseCountsRebuild.objects.order_by("-finished_at").first()
        self.stdout.write(
            "counts: kept with every step; last full recount "
            + (
                f"{timezone.localtime(recount.finished_at):%Y-%m-%d %H:%M} ({recount.cases:,} cases)"
                if recount
                else "never (run manage.py case_counts_rebuild)"
            )
        )
        client = Client()
        client.force_login(user)
        # The benchmark measures the dashboard, not the second factor (no OTP in the client).
        results = measure([("dashboard", client, "/supervision/")], requests)
        dashboard, admin = results["dashboard"], results[ADMIN_LABEL]
        self.stdout.write(dashboard.line())
        self.stdout.write(admin.line())
        self.stdout.write(ratio_line("dashboard", dashboard, admin))
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
