"""The yardstick of the benchmark commands (issue 24 point 11, issue 27 point 4): the Django
admin's change list of cases, 50 rows a page like the workbench, measured in the same run as
the page under test — interleaved request by request, so that both see the same machine. A
figure is then read as a ratio to it, which holds on a slower or busier machine too."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.admin import site
from django.contrib.auth.models import User
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from casework.models import Case
from workflows.workbench.views import PAGE_SIZE

ADMIN_LIST = "/admin/casework/case/"
ADMIN_LABEL = "admin: case list"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Measured:
    label: str
    url: str
    times: list[float] = field(default_factory=list)
    queries: int = 0

    @property
    def p50(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        return pct(self.times, 95)

    def line(self) -> str:
        return (
            f"{self.label:22s} p50 {self.p50:7.1f} ms  p95 {self.p95:7.1f} ms  "
            f"max {max(self.times):7.1f} ms  queries {self.queries}  "
            f"({len(self.times)} requests, {self.url})"
        )


def admin_client() -> Client:
    """A superuser's client for the admin (bench_admin, made once)."""
    user, created = User.objects.get_or_create(
        username="bench_admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    client = Client()
    client.force_login(user)
    return client


@contextmanager
def admin_list_setup() -> Iterator[None]:
    """The admin's change list with the workbench's page size; no second factor (outside
    the demo a superuser's session must be OTP-verified, which a benchmark client is not)."""
    case_admin = site._registry[Case]
    per_page = case_admin.list_per_page
    type(case_admin).list_per_page = PAGE_SIZE
    try:
        with override_settings(OTP_REQUIRED_GROUPS=[], ALLOWED_HOSTS=["testserver"], DEBUG=False):
            yield
    finally:
        type(case_admin).list_per_page = per_page


def measure(
    pages: list[tuple[str, Client, str]],
    requests: int,
    *,
    admin: bool = True,
    check: Callable[[str, int], None] | None = None,
) -> dict[str, Measured]:
    """Time each page `requests` times, round by round (page 1, page 2, …, the admin list),
    after one warm-up each and one request with its queries counted."""
    targets = list(pages)
    if admin:
        targets.append((ADMIN_LABEL, admin_client(), ADMIN_LIST))
    results = {label: Measured(label, url) for label, _client, url in targets}
    with admin_list_setup():
        for label, client, url in targets:
            client.get(url)  # warm-up (templates, calendar, caches)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            results[label].queries = len(queries)
        for _round in range(requests):
            for label, client, url in targets:
                started = time.perf_counter()
                client.get(url)
                results[label].times.append((time.perf_counter() - started) * 1000)
    return results


def ratio_line(label: str, measured: Measured, admin: Measured) -> str:
    return (
        f"{label:22s} p95 / admin change list p95 = {measured.p95 / admin.p95:.2f}  "
        f"(p50 ratio {measured.p50 / admin.p50:.2f})"
    )
