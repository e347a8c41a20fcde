"""Scheduled work as services: abandonment, reminders, the digest, and one whole run."""

from datetime import date
from io import StringIO

from django.core.management import call_command

import pytest

from casework.models import Event, Notification
from letters.models import Letter
from tests.conftest import at
from workflows.schedule import (
    ScheduleReport,
    deadline_reminders_send,
    expired_cases_abandon,
    office_digest_send,
    schedule_run,
)


@pytest.fixture
def in_correction(receive_flow, act):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(
        case,
        "request_correction",
        "registrar",
        on=date(2026, 3, 3),
        items="请写明文件名称",
        deadline_on="2026-03-10",
    )
    return case


@pytest.fixture
def claimed(receive_flow, act, divisions, users):
    users["liaison_a"].email = "liaison_a@example.gov.cn"
    users["liaison_a"].save()
    case = receive_flow(arrived=date(2026, 3, 2))  # reply due Mon 2026-03-30
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 2), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 2))
    return case


@pytest.mark.django_db
def test_expired_correction_is_abandoned_once_on_the_given_day(in_correction):
    # The deadline is 2026-03-10: on that day nothing happens yet, the day after it does.
    assert expired_cases_abandon(now=at(date(2026, 3, 10))) == 0
    assert expired_cases_abandon(now=at(date(2026, 3, 11))) == 1
    assert expired_cases_abandon(now=at(date(2026, 3, 12))) == 0
    in_correction.refresh_from_db()
    assert in_correction.status == "abandoned"
    event = Event.objects.get(case=in_correction, kind="abandon")
    assert event.on == date(2026, 3, 11)
    assert [x.kind for x in Letter.objects.filter(case=in_correction)] == [
        "reply.other.no_correction"
    ]


@pytest.mark.django_db
def test_today_overrides_the_date_of_now(in_correction):
    assert expired_cases_abandon(now=at(date(2026, 3, 5)), today=date(2026, 3, 16)) == 1


@pytest.mark.django_db
def test_reminders_on_the_marks_only_and_once(claimed):
    # Reply due Mon 03-30, the division's own deadline 5 working days earlier (Mon 03-23);
    # the marks are 5 and 1 working days before each.
    assert deadline_reminders_send(now=at(date(2026, 3, 19))) == 0
    assert deadline_reminders_send(now=at(date(2026, 3, 20))) == 1  # division: 1 day
    assert deadline_reminders_send(now=at(date(2026, 3, 23))) == 1  # reply: 5 days
    assert deadline_reminders_send(now=at(date(2026, 3, 23))) == 1  # the same, not queued twice
    assert deadline_reminders_send(now=at(date(2026, 3, 27))) == 1  # reply: 1 day
    subjects = sorted(
        n.subject.removeprefix(f"【提醒】{claimed.number} ")
        for n in Notification.objects.filter(dedupe_key__startswith=f"remind:{claimed.pk}:")
    )
    assert subjects == [
        "距处室内部期限还有1个工作日",
        "距答复期限还有1个工作日",
        "距答复期限还有5个工作日",
    ]


@pytest.mark.django_db
def test_digest_counts_overdue_and_goes_out_once_a_day(claimed, users):
    users["reviewer"].email = "reviewer@example.gov.cn"
    users["reviewer"].save()
    assert office_digest_send(now=at(date(2026, 3, 31))) == 1
    assert office_digest_send(now=at(date(2026, 3, 31))) == 1
    digest = Notification.objects.get(dedupe_key="digest:2026-03-31")
    assert "超期 1 件" in digest.subject
    assert Notification.objects.filter(dedupe_key__startswith="digest:").count() == 1


@pytest.mark.django_db
def test_digest_without_office_addresses_is_not_queued(claimed):
    assert office_digest_send(now=at(date(2026, 3, 31))) == 0


@pytest.mark.django_db
def test_schedule_run_reports_and_the_command_prints_it(in_correction, claimed, mailoutbox):
    report = schedule_run(now=at(date(2026, 3, 23)))
    assert isinstance(report, ScheduleReport)
    assert (report.abandoned, report.reminded, report.digests) == (1, 1, 0)
    assert report.sent == len(mailoutbox) >= 1
    assert report.lines()[1] == (
        f"视为放弃 1 件；提醒 1 条；日报 0 份；发送邮件 {report.sent} 封，失败 0 封。"
    )
    out = StringIO()
    call_command("run_schedule", "--today", "2026-03-23", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "0 timer(s) fired, 0 process(es) started, 0 condition(s) fired"
    assert lines[1] == "视为放弃 0 件；提醒 1 条；日报 0 份；发送邮件 0 封，失败 0 封。"
