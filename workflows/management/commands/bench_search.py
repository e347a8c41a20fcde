"""Benchmark the staff search box (casework.search.case_search) over the benchmark organ.

    manage.py seed_bench --cases 100000
    manage.py bench_search [--repeat 30]

seed_bench writes placeholder text (测试申请N); the first run of this command gives the
benchmark organ's cases realistic texts and their replies a 文号 (workflows/bench_prepare.py,
in batches with a progress bar, only what is still a placeholder). Later runs reuse them.

For each query (a case number, a 2- and a 4-character subject word, a name, a phone, an ID
number, a document number) and for an office user and a liaison officer, it times what the
case list does with the search box (casework.search.case_page): the count and the first page
of 50 cases, newest first, with their related rows;
then prints p50/p95 milliseconds per query and over all queries, and the ratio of the latter
to the admin's change list of cases measured in the same run (workflows/management/reference.py).
"""

import random
import statistics
import time
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.choices import ApplicantCategory, CaseStatus, Role
from casework.models import Case, Organ
from casework.search import case_page, case_search
from workflows.bench_prepare import bench_texts_prepare
from workflows.management.commands.seed_bench import BENCH_ORGAN
from workflows.management.reference import ADMIN_LABEL, measure


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "p50/p95 of the staff search box over 100,000 cases (after seed_bench)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=30, help="timed runs per query")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, repeat: int, seed: int, **options: Any) -> None:
        organ = Organ.objects.filter(name=BENCH_ORGAN).first()
        if organ is None or not Case.objects.filter(organ=organ).exists():
            raise CommandError("先运行 manage.py seed_bench --cases 100000。")
        rng = random.Random(seed)
        bench_texts_prepare(organ, rng, self.stdout.write)
        from django.db import connection

        if connection.vendor == "postgresql":
            # The first run rewrites the texts of 100,000 cases: without fresh statistics the
            # planner misjudged the trigram matches (127 ms p95 here, 60-75 ms after ANALYZE).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE casework_case, casework_applicant, letters_letter")
        office = self._office_user()
        liaison = User.objects.get(username="bench_liaison_01")
        self.stdout.write(f"cases in the database: {Case.objects.count():,}")
        all_times: dict[str, list[float]] = {}
        for user in (office, liaison):
            queries = self._queries(organ, user)
            user_times: list[float] = []
            for label, q in queries:
                times, found = self._measure(user, q, repeat)
                user_times += times
                self.stdout.write(
                    f"{user.username:18s} {label:16s} {q!r:28s} found {found:6d}  "
                    f"p50 {statistics.median(times):6.1f} ms  p95 {_pct(times, 95):6.1f} ms"
                )
            all_times[user.username] = user_times
        # The reference of the same run: the admin's change list of cases (50 rows a page).
        admin = measure([], max(repeat, 10))[ADMIN_LABEL]
        for username, times in all_times.items():
            self.stdout.write(
                f"ALL {username:18s} p50 {statistics.median(times):6.1f} ms  "
                f"p95 {_pct(times, 95):6.1f} ms  max {max(times):6.1f} ms  "
                f"({len(times)} searches)"
            )
        self.stdout.write(admin.line())
        for username, times in all_times.items():
            self.stdout.write(
                f"ALL {username:18s} p95 / admin change list p95 = "
                f"{_pct(times, 95) / admin.p95:.2f}"
            )

    def _measure(self, user: User, q: str, repeat: int) -> tuple[list[float], int]:
        """What the case list does: count, then the first page, newest first."""
        found = 0
        times = []
        for i in range(repeat + 1):
            started = time.perf_counter()
            page = case_page(case_search(user=user, q=q), 1, size=50, searched=True)
            found = page.paginator.count
            if i:  # the first run warms up the connection and caches
                times.append((time.perf_counter() - started) * 1000)
        return times, found

    def _office_user(self) -> User:
        user, created = User.objects.get_or_create(
            username="bench_reviewer", defaults={"last_name": "测试", "first_name": "审核员"}
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=Role.REVIEWER))
        return user

    def _queries(self, organ: Organ, user: User) -> list[tuple[str, str]]:
        """Realistic queries, taken from cases this user can see."""
        visible = case_search(user=user, q="").filter(organ=organ)
        archived = visible.filter(status=CaseStatus.ARCHIVED).order_by("pk")
        people = visible.filter(applicant__category=ApplicantCategory.NATURAL_PERSON).order_by("pk")
        if not archived.exists() or not people.exists():
            raise CommandError(f"{user.username} 可见的测试案件太少；先运行 seed_bench。")
        # The same picks on every run of a database of any size.
        case = archived[min(37, archived.count() - 1)]
        person = people[min(11, people.count() - 1)].applicant
        letter = case.letters.first()
        return [
            ("case number", case.number),
            ("2-char word", "安置"),
            ("4-char word", "抚恤补助"),
            ("3-char phrase", "光荣院"),
            ("name", person.name),
            ("phone", person.phone),
            ("ID number", person.id_number),
            ("document no.", letter.number if letter else ""),
            ("no match", "核电站"),
        ]
