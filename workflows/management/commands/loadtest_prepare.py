"""Prepare the load test (tests/load/locustfile.py) on the seed_bench organ:

    manage.py seed_bench --cases 100000
    manage.py loadtest_prepare --out var/loadtest.json

Gives the 20 benchmark liaison officers a password (random, per run) and an API token,
gives 500 benchmark cases a query code for the applicants' tracking, and writes what the
locust users need (numbers, codes, credentials, each officer's unclaimed cases) to a JSON
file outside any public folder. Only the synthetic organ 性能测试机关 is touched.
"""

import json
import secrets
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from casework.choices import CaseStatus
from casework.models import Case
from casework.payloads import Payload
from casework.portal import query_code_digest, query_code_new
from workflows.api.tokens import ApiToken, TokenScope
from workflows.management.commands.seed_bench import BENCH_ORGAN

TRACKED = 500
PER_OFFICER = 40
ISSUED_AS = "loadtest"


class Command(BaseCommand):
    help = "Credentials, query codes and case lists for the load test (after seed_bench)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, out: Path, **options: Any) -> None:
        cases = Case.objects.filter(organ__name=BENCH_ORGAN)
        if not cases.exists():
            raise CommandError("先运行 manage.py seed_bench --cases 100000。")
        password = secrets.token_urlsafe(16)
        officers: list[Payload] = []
        tracked: list[dict[str, str]] = []
        with transaction.atomic():
            for user in User.objects.filter(username__startswith="bench_liaison_").order_by(
                "username"
            ):
                user.set_password(password)
                user.save(update_fields=["password"])
                # A fresh one-day token per run; the previous runs' tokens are revoked.
                ApiToken.objects.filter(user=user, name=ISSUED_AS).exclude(
                    revoked_at__isnull=False
                ).update(revoked_at=timezone.now())
                _token, secret = ApiToken.issue(
                    user, name=ISSUED_AS, scope=TokenScope.WRITE, days=1
                )
                division_cases = cases.filter(
                    status=CaseStatus.HANDLING, lead_division__code=f"bench-{user.username[-2:]}"
                ).order_by("reply_due_on")
                officers.append(
                    {
                        "username": user.username,
                        "token": secret,
                        "unclaimed": list(
                            division_cases.values_list("number", flat=True)[:PER_OFFICER]
                        ),
                        "cases": list(
                            cases.filter(assignee=user)
                            .order_by("-pk")
                            .values_list("number", flat=True)[:PER_OFFICER]
                        ),
                    }
                )
            for number in cases.order_by("-pk").values_list("number", flat=True)[:TRACKED]:
                code = query_code_new()
                Case.objects.filter(number=number, organ__name=BENCH_ORGAN).update(
                    query_code_digest=query_code_digest(number, code)
                )
                tracked.append({"number": number, "code": code})
        out.parent.mkdir(parents=True, exist_ok=True)
        out.touch(mode=0o600)
        out.write_text(
            json.dumps({"password": password, "officers": officers, "tracked": tracked}, indent=1)
        )
        self.stdout.write(
            f"已写入 {out}：联络员 {len(officers)} 名，可查询案件 {len(tracked)} 件。"
        )
