"""Benchmark the officer's queue page and the case page on it (server time, in process).

    manage.py seed_bench --cases 100000
    manage.py bench_queue [--requests 200]

Prints p50/p95 milliseconds and the SQL queries per request for each page.
"""

import statistics
import time
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from casework.models import Case
from workflows.management.commands.seed_bench import BENCH_ORGAN


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
        for label, url in pages:
            times, queries = _measure(client, url, requests)
            self.stdout.write(
                f"{label:22s} p50 {statistics.median(times):6.1f} ms  p95 {_pct(times, 95):6.1f} ms  "
                f"max {max(times):6.1f} ms  queries {queries}  ({requests} requests, {url})"
            )
