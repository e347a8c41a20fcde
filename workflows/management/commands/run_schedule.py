"""Scheduled work (cron in production; the demo runs it in the background):

- fires viewflow's due timers;
- abandons cases whose correction or fee deadline has passed (Art 30; 国办函〔2020〕109号),
  with the event and the notice letter to the applicant;
- reminds assignees a number of working days before their deadlines (default 5 and 1);
- sends the office a daily digest; sends due e-mail.

Idempotent: run twice, or twice at the same time, each reminder goes out once (keyed
notifications) and nothing is abandoned twice (row locks and the state machine).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from casework.choices import OPEN_STATUSES, CaseStatus, Role
from casework.choices import Transition as T
from casework.errors import CaseworkError
from casework.lifecycle import SYSTEM
from casework.models import Case
from casework.notifications import notifications_send, notify
from casework.selectors import working_calendar
from workflows.services import division_emails


class Command(BaseCommand):
    help = (
        "Timers, abandonment of expired corrections and fees, reminders, the daily digest, e-mail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=date.fromisoformat, help="run as of this date (testing)"
        )

    def handle(self, *args: Any, today: date | None = None, **options: Any) -> None:
        now = timezone.now()
        today = today or timezone.localdate(now)
        call_command("workflow_timers", stdout=self.stdout)
        abandoned = self._abandon(today)
        reminded = self._remind(today)
        digest = self._digest(today)
        sent, failed = notifications_send()
        self.stdout.write(
            f"视为放弃 {abandoned} 件；提醒 {reminded} 条；日报 {digest} 份；发送邮件 {sent} 封，失败 {failed} 封。"
        )

    def _abandon(self, today: date) -> int:
        from letters.services import letter_issue
        from workflows.services import case_act

        count = 0
        expired = list(
            Case.objects.filter(
                status=CaseStatus.CORRECTION, correction_deadline_on__lt=today
            ).values_list("number", "organ_id")
        ) + list(
            Case.objects.filter(status=CaseStatus.AWAITING_FEE, fee_due_on__lt=today).values_list(
                "number", "organ_id"
            )
        )
        for number, organ_id in expired:
            try:
                with transaction.atomic():
                    case = case_act(
                        number=number,
                        organ=Case.objects.get(number=number, organ_id=organ_id).organ,
                        name=T.ABANDON,
                        actor=SYSTEM,
                        on=today,
                        fields={
                            "reason": "申请人逾期未补正或未缴费，视为放弃申请（系统按期限自动处理）"
                        },
                    )
                    letter_issue(number=case.number, kind=f"reply.{case.disposition}", actor=SYSTEM)
            except CaseworkError:
                continue  # another run got there first, or the deadline moved
            count += 1
        return count

    def _remind(self, today: date) -> int:
        calendar = working_calendar()
        marks = sorted({int(x) for x in settings.REMINDER_WORKING_DAYS})
        targets = {calendar.add_working_days(today, n): n for n in marks}
        count = 0
        cases = Case.objects.filter(status__in=OPEN_STATUSES).filter(
            reply_due_on__in=list(targets)
        ) | Case.objects.filter(status__in=OPEN_STATUSES, division_due_on__in=list(targets))
        for case in cases.select_related("assignee", "lead_division").distinct():
            for label, due in (
                ("答复期限", case.reply_due_on),
                ("处室内部期限", case.division_due_on),
            ):
                if due not in targets:
                    continue
                n = targets[due]
                made = notify(
                    key=f"remind:{case.pk}:{label}:{due}:{n}",
                    to=division_emails(case),
                    case=case,
                    subject=f"【提醒】{case.number} 距{label}还有{n}个工作日",
                    body=f"{case.number}（{case.subject}）的{label}为{due}，还有{n}个工作日。\n{settings.SITE_URL}{case.get_absolute_url()}",
                )
                count += made is not None
        return count

    def _digest(self, today: date) -> int:
        office = get_user_model().objects.filter(
            groups__name__in=[Role.REVIEWER, Role.OFFICE_HEAD, Role.SUPERVISOR], is_active=True
        )
        emails = list(office.exclude(email="").values_list("email", flat=True).distinct())
        open_cases = Case.objects.filter(status__in=OPEN_STATUSES)
        overdue = open_cases.filter(reply_due_on__lt=today).count()
        soon = open_cases.filter(
            reply_due_on__gte=today,
            reply_due_on__lte=working_calendar().add_working_days(
                today, settings.DUE_SOON_WORKING_DAYS
            ),
        ).count()
        unconfirmed = open_cases.filter(
            status=CaseStatus.RECEIVED, received_on__isnull=True
        ).count()
        made = notify(
            key=f"digest:{today}",
            to=emails,
            subject=f"依申请公开办理日报 {today}：超期 {overdue} 件，即将到期 {soon} 件",
            body=(
                f"在办 {open_cases.count()} 件；已超期 {overdue} 件；{settings.DUE_SOON_WORKING_DAYS} 个工作日内到期 {soon} 件；"
                f"待确认收到的网上/邮件申请 {unconfirmed} 件。\n{settings.SITE_URL}/supervision/"
            ),
        )
        return int(made is not None)
