"""Scheduled work (cron or the task scheduler calls `schedule_run` once in a while):

- fires viewflow's due timers;
- abandons cases whose correction or fee deadline has passed (Art 30; 国办函〔2020〕109号),
  with the event and the notice letter to the applicant;
- reminds assignees a number of working days before their deadlines (default 5 and 1), and
  divisions before (and after) the deadline of their self-check items;
- sends the office a daily digest; sends due e-mail;
- takes up again the jobs whose worker died (their lease ended: workflows.job_leases).

Idempotent: run twice, or twice at the same time, each reminder goes out once (keyed
notifications) and nothing is abandoned twice (row locks and the state machine).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from casework.anchors import anchor_publish, anchor_published_on
from casework.choices import OPEN_STATUSES, CaseStatus, Role
from casework.choices import Transition as T
from casework.errors import CaseworkError
from casework.ledger import audit_anchor
from casework.lifecycle import SYSTEM
from casework.models import Case
from casework.notifications import notifications_send, notify_template
from casework.selectors import working_calendar
from casework.selfcheck.services import selfcheck_reminders_send
from letters.services import letter_issue
from workflows.job_leases import expired_jobs_retry
from workflows.services import case_act, division_emails

logger = logging.getLogger(__name__)

ABANDON_REASON = "申请人逾期未补正或未缴费，视为放弃申请（系统按期限自动处理）"


@dataclass(frozen=True)
class ScheduleReport:
    """What one run did, counted."""

    timers_fired: int
    processes_started: int
    conditions_fired: int
    abandoned: int
    reminded: int
    digests: int
    sent: int
    failed: int
    jobs_retried: int = 0
    jobs_given_up: int = 0

    def lines(self) -> list[str]:
        """The run as `manage.py run_schedule` prints it (viewflow's timer line first)."""
        return [
            f"{self.timers_fired} timer(s) fired, {self.processes_started} process(es) started, "
            f"{self.conditions_fired} condition(s) fired",
            f"视为放弃 {self.abandoned} 件；提醒 {self.reminded} 条；日报 {self.digests} 份；"
            f"发送邮件 {self.sent} 封，失败 {self.failed} 封。",
            f"中断的后台任务重新排队 {self.jobs_retried} 个，放弃 {self.jobs_given_up} 个。",
        ]


def expired_cases_abandon(*, now: datetime, today: date | None = None) -> int:
    """Abandon (视为放弃) every case whose correction deadline (Art 30) or fee payment period
    (国办函〔2020〕109号) ended before `today`, and issue the notice letter to the applicant.

    Each case in its own transaction (the event and the letter together); a case another run
    handled first, or whose deadline moved, is skipped. Returns how many were abandoned.
    """

    today = today or timezone.localdate(now)
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
                    fields={"reason": ABANDON_REASON},
                )
                letter_issue(number=case.number, kind=f"reply.{case.disposition}", actor=SYSTEM)
        except CaseworkError:
            continue  # another run got there first, or the deadline moved
        count += 1
    return count


def deadline_reminders_send(*, now: datetime, today: date | None = None) -> int:
    """Remind whoever works an open case (its assignee, else the lead division's liaison
    officers) when its reply deadline (Art 33) or internal division deadline is exactly
    settings.REMINDER_WORKING_DAYS working days after `today`. Once per case, deadline and
    mark (keyed notification). Returns the number of reminders queued or already queued."""
    today = today or timezone.localdate(now)
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
            made = notify_template(
                key=f"remind:{case.pk}:{label}:{due}:{n}",
                to=division_emails(case),
                case=case,
                template="deadline_reminder",
                context={"label": label, "due": due, "days": n},
            )
            count += made is not None
    return count


def office_digest_send(*, now: datetime, today: date | None = None) -> int:
    """The daily digest to the OGI office (reviewers, office heads, supervisors): open,
    overdue and due-soon cases, and online applications still waiting for the confirmation of
    receipt (Art 31), and the day's audit anchor (the hash over the heads of all event chains,
    also logged) so that a later `verify_audit --anchor` can prove nothing was cut off. Once per
    day (keyed). Returns 1 when a digest is queued, else 0."""
    today = today or timezone.localdate(now)
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
    unconfirmed = open_cases.filter(status=CaseStatus.RECEIVED, received_on__isnull=True).count()
    anchor = audit_anchor()
    made = notify_template(
        key=f"digest:{today}",
        to=emails,
        template="office_digest",
        context={
            "today": today,
            "open": open_cases.count(),
            "overdue": overdue,
            "soon": soon,
            "soon_days": settings.DUE_SOON_WORKING_DAYS,
            "unconfirmed": unconfirmed,
            "anchor": anchor,
        },
    )
    if made is not None:
        logger.info("audit anchor %s: %s chains on %s", anchor, anchor.chains, today)
    if made is not None or not anchor_published_on(timezone.localdate(anchor.at or now)):
        # Daily, even when no office member has an e-mail address: the security log and the
        # anchor file, outside the database (casework.anchors).
        anchor_publish(anchor)
    return int(made is not None)


def schedule_run(*, now: datetime, today: date | None = None) -> ScheduleReport:
    """One round of the scheduled work, in order: viewflow timers, abandonment, reminders,
    the digest, then every e-mail that is due. `today` overrides the date (testing)."""
    from viewflow.workflow.timers import (
        fire_due_conditions,
        fire_due_start_timers,
        fire_due_timers,
    )

    today = today or timezone.localdate(now)
    fired = fire_due_timers()
    started = fire_due_start_timers()
    conditions = fire_due_conditions()
    abandoned = expired_cases_abandon(now=now, today=today)
    reminded = deadline_reminders_send(now=now, today=today)
    reminded += selfcheck_reminders_send(now=now, today=today)  # self-check items (issue 26)
    digests = office_digest_send(now=now, today=today)
    sent, failed = notifications_send(now=now)
    leases = expired_jobs_retry(now=now)
    return ScheduleReport(
        timers_fired=fired,
        processes_started=started,
        conditions_fired=conditions,
        abandoned=abandoned,
        reminded=reminded,
        digests=digests,
        sent=sent,
        failed=failed,
        jobs_retried=leases.retried,
        jobs_given_up=leases.given_up,
    )
