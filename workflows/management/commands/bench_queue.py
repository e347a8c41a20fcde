"""Benchmark the officer's queue page and the case page on it (server time, in process).

    manage.py seed_bench --cases 100000
    manage.py bench_queue [--requests 200]

Prints how many open tasks the benchmark officer holds, p50/p95 milliseconds and the SQL
queries per request for each page, and, as a reference measured in the same run (request by
request, interleaved), the Django admin's change list of cases with the workbench's page size
(50 rows) and the ratio of each page's p95 to the admin's.
"""

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client

from casework.models import Case
from workflows.management.commands.seed_bench import BENCH_ORGAN
from workflows.management.reference import ADMIN_LABEL, measure, ratio_line


class Command(BaseCommand):
    help = (
        "p50/p95 server time of a liaison officer's queue page and a case page (after seed_bench)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=200)

    def handle(self, *args: Any, requests: int, **options: Any) -> None:
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
                organ__name=BENCH_ORGAN,
                lead_division__code="bench-01",
                status__in=["handling", "investigation"],
            )
            .order_by("status", "reply_due_on")
            .first()
        )
        if first is not None:
            pages.append(("case page", f"/cases/{first.number}/"))
        from workflows.viewflow_adapter import STATUS, Task

        held = Task.objects.filter(owner=user, status=STATUS.ASSIGNED).count()
        self.stdout.write(f"{user.username} holds {held:,} open tasks (my tasks)")
        results = measure([(label, client, url) for label, url in pages], requests)
        for measured in results.values():
            self.stdout.write(measured.line())
        admin = results[ADMIN_LABEL]
        for label, _url in pages:
            self.stdout.write(ratio_line(label, results[label], admin))
