"""Enqueue the building of the archived case files (案卷) that are missing or failed: for cases
archived before case files were stored, or after a failed build. The workers build them
(`db_worker --queue-name default,long`); a built case file is never rebuilt.

manage.py casefiles            # every archived case without a built case file
manage.py casefiles 2026-0001  # these cases (archived ones only)
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from casework.choices import CaseStatus
from casework.models import Case
from letters.casefile import casefile_archive_start
from letters.models import CaseFile


class Command(BaseCommand):
    help = "Enqueue the archived case files that are missing or failed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("numbers", nargs="*")

    def handle(self, *args: Any, numbers: list[str], **options: Any) -> None:
        built = CaseFile.objects.filter(
            reason=CaseFile.Reason.ARCHIVE, status=CaseFile.Status.READY
        ).values("case_id")
        cases = Case.objects.filter(status=CaseStatus.ARCHIVED).exclude(pk__in=built)
        if numbers:
            cases = cases.filter(number__in=numbers)
        count = 0
        for case in cases.order_by("pk").iterator():
            with transaction.atomic():
                casefile_archive_start(case, now=timezone.now())
            count += 1
        self.stdout.write(f"已安排生成 {count} 份归档案卷。")
