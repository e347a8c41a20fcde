"""Killed jobs are taken up again after their lease (issue 22, point 8): a record job a worker
claimed and never finished (its worker was killed: the row stays "生成中") shows on /healthz,
is closed and enqueued again by the scheduler's round, and a real db_worker then completes
it; past JOB_LEASE_MAX_RETRIES the record is marked failed with the reason in Chinese."""

import json
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from letters.records import services
from letters.records.jobs import records_job
from letters.records.models import Record
from tests.letters.test_letters import approved  # noqa: F401 - fixture
from workflows.job_leases import LEASE_EXPIRED
from workflows.schedule import schedule_run

BACKENDS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "long"],
    },
    "db": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "long"]},
}


@pytest.fixture
def killed_job(receive_flow, act, divisions, users, text_pdf, settings):
    """A record whose job a worker claimed and then died: the row "processing", the job
    RUNNING since before its lease."""
    settings.JOB_LEASE_SECONDS = 600
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    record = services.record_add(
        case=case,
        division=divisions["a"],
        uploaded=SimpleUploadedFile("a.pdf", text_pdf),
        actor=users["liaison_a"],
    )
    Record.objects.filter(pk=record.pk).update(status=Record.Status.PROCESSING, pages_done=1)
    with override_settings(TASKS=BACKENDS):
        queued = records_job.using(backend="db").enqueue("record_process", record.pk)
        result = DBTaskResult.objects.get(pk=queued.id)
        result.claim("killed-worker")  # what the worker wrote before kill -9
        DBTaskResult.objects.filter(pk=result.pk).update(
            started_at=timezone.now() - timedelta(seconds=601)
        )
        yield record, result


def _health(client) -> dict:
    response = client.get("/healthz")
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.mark.django_db(transaction=True)
def test_a_job_left_running_past_its_lease_shows_on_healthz_and_is_retried_to_completion(
    client, killed_job
):
    record, result = killed_job
    health = _health(client)
    assert health["status"] == "degraded"
    assert health["checks"]["jobs"] == {
        "ok": False,
        "stuck_past_lease": 1,
        "lease_seconds": 600,
    }
    report = schedule_run(now=timezone.now())
    assert report.jobs_retried == 1
    assert "中断的后台任务重新排队 1 个" in report.lines()[-1]
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == LEASE_EXPIRED
    again = DBTaskResult.objects.exclude(pk=result.pk).get(task_path=result.task_path)
    assert again.status == TaskResultStatus.READY
    assert again.args_kwargs == result.args_kwargs
    assert _health(client)["checks"]["jobs"]["ok"]
    # a second round does not enqueue it twice
    assert schedule_run(now=timezone.now()).jobs_retried == 0
    # a real worker takes it up and completes the record
    call_command(
        "db_worker", "--batch", "--backend", "db", "--queue-name", "default,long",
        "--no-startup-delay", "--worker-id", "test-worker",
    )  # fmt: skip
    record.refresh_from_db()
    assert record.status == Record.Status.READY, record.error
    assert record.pages_done == record.pages_total == 2
    again.refresh_from_db()
    assert again.status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
def test_past_the_retries_the_record_is_marked_failed_in_chinese(client, killed_job, settings):
    record, _result = killed_job
    settings.JOB_LEASE_MAX_RETRIES = 0
    report = schedule_run(now=timezone.now())
    assert (report.jobs_retried, report.jobs_given_up) == (0, 1)
    record.refresh_from_db()
    assert record.status == Record.Status.FAILED
    assert "处理进程意外中断" in record.error
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_finished_row_is_not_retried(client, killed_job):
    record, result = killed_job
    Record.objects.filter(pk=record.pk).update(status=Record.Status.READY)
    report = schedule_run(now=timezone.now())
    assert report.jobs_retried == 0
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED  # closed all the same: healthz clears
    assert _health(client)["checks"]["jobs"]["ok"]


@pytest.mark.django_db(transaction=True)
def test_a_case_file_left_being_built_past_its_lease_is_built_again(
    approved,  # noqa: F811
    act,
    users,
    settings,
):
    """The archived case file ("正在生成") of a killed worker: retried by the sweep and built."""
    from casework.choices import CaseStatus
    from letters.casefile import casefile_build
    from letters.models import CaseFile
    from letters.services import letter_issue
    from tests.conftest import NOW

    settings.JOB_LEASE_SECONDS = 600
    case = approved("partial", files="安置计划1份", withheld="第五条报价明细")
    letter_issue(number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW)
    act(case, "issue_reply", "registrar")
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLIED
    casefile = CaseFile.objects.create(
        case=case, reason=CaseFile.Reason.ARCHIVE, requested_at=timezone.now()
    )
    with override_settings(TASKS=BACKENDS):
        queued = casefile_build.using(backend="db").enqueue(casefile.pk)
        result = DBTaskResult.objects.get(pk=queued.id)
        result.claim("killed-worker")
        DBTaskResult.objects.filter(pk=result.pk).update(
            started_at=timezone.now() - timedelta(seconds=601)
        )
        assert schedule_run(now=timezone.now()).jobs_retried == 1
        call_command(
            "db_worker", "--batch", "--backend", "db", "--queue-name", "long",
            "--no-startup-delay", "--worker-id", "test-worker",
        )  # fmt: skip
    casefile.refresh_from_db()
    assert casefile.status == CaseFile.Status.READY, casefile.error
    assert casefile.pdf.open("rb").read().startswith(b"%PDF")
