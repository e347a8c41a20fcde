"""Benchmark the officer's queue page and the case page on it (server time, in process).

    manage.py seed_bench --cases 100000
    manage.py bench_queue [--requests 200]

Prints p50/p95 milliseconds and the SQL queries per request for each page, and, as a
reference measured in the same run, the Django admin's change list of cases with the
workbench's page size (50 rows) and the ratio of each queue tab's p95 to the admin's.
"""

import statistics
import time
from typing import Any

from django.contrib.admin import site
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from casework.models import Case
from workflows.management.commands.seed_bench import BENCH_ORGAN
from workflows.workbench.views import PAGE_SIZE


def _measure(client: Client, url: str, n: int) -> tuple[list[float], int]:
    client.get(url)  # warm-up (templates, calendar)
    times = []
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        count = len(queries)
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}")
    for _ in range(n):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return times, count


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = (
        "p50/p95 server time of a liaison officer's queue page and a case page (after seed_bench)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=200)

    def handle(self, *args: Any, requests: int, **options: Any) -> None:
        with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
            self._run(requests)

    def _run(self, requests: int) -> None:
        user = User.objects.filter(username="bench_liaison_01").first()
        if user is None or not Case.objects.filter(organ__name=BENCH_ORGAN).exists():
            raise CommandError("先运行 manage.py seed_bench --cases 100000。")
        client = Client()
        client.force_login(user)
        total = Case.objects.count()
        self.stdout.write(f"cases in the database: {total:,}; officer: {user.username}")
        pages = [
            ("queue: division tab", "/work/?tab=division"),
            ("queue: my tasks", "/work/?tab=mine"),
        ]
        first = (
            Case.objects.filter(
                organ__name=BENCH_ORGAN, lead_division__code="bench-01", status="handling"
            )
            .order_by("reply_due_on")
            .first()
        )
        if first is not None:
            pages.append(("case page", f"/cases/{first.number}/"))
        p95s = {}
        for label, url in pages:
            times, queries = _measure(client, url, requests)
            p95s[label] = _pct(times, 95)
            self._line(label, times, queries, requests, url)
        # Reference: the admin's change list of cases, 50 rows a page like the workbench.
        admin_user, _created = User.objects.get_or_create(
            username="bench_admin", defaults={"is_staff": True, "is_superuser": True}
        )
        if _created:
            admin_user.set_unusable_password()
            admin_user.save()
        admin_client = Client()
        admin_client.force_login(admin_user)
        case_admin = site._registry[Case]
        per_page = case_admin.list_per_page
        type(case_admin).list_per_page = PAGE_SIZE
        try:
            # The reference measures the change list, not the second factor: outside the demo
            # a superuser's session must be OTP-verified, which a benchmark client is not.
            with override_settings(OTP_REQUIRED_GROUPS=[]):
                times, queries = _measure(admin_client, "/admin/casework/case/", requests)
        finally:
            type(case_admin).list_per_page = per_page
        self._line("admin: case list", times, queries, requests, "/admin/casework/case/")
        admin_p95 = _pct(times, 95)
        for label in ("queue: division tab", "queue: my tasks"):
            self.stdout.write(
                f"{label:22s} p95 / admin change list p95 = {p95s[label] / admin_p95:.2f}"
            )

    def _line(self, label: str, times: list[float], queries: int, requests: int, url: str) -> None:
        self.stdout.write(
            f"{label:22s} p50 {statistics.median(times):6.1f} ms  p95 {_pct(times, 95):6.1f} ms  "
            f"max {max(times):6.1f} ms  queries {queries}  ({requests} requests, {url})"
        )
