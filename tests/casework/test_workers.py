"""Real worker processes (`manage.py db_worker`) on the test database: two workers at once
send every due e-mail exactly once, including those a dead worker left "sending" after
their lease expired, and none whose lease is still running (row locks, SKIP LOCKED)."""

import os
import subprocess
import sys
from datetime import timedelta
from email import message_from_string
from pathlib import Path

from django.db import connection
from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from casework.models import Notification

ROOT = Path(__file__).resolve().parents[2]


def _env(mail_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.worker_settings",
        CASEWORK_TEST_DB_NAME=str(connection.settings_dict["NAME"]),
        CASEWORK_TEST_MAIL_DIR=str(mail_dir),
    )
    return env


def _sent_subjects(mail_dir: Path) -> list[str]:
    subjects = []
    for path in mail_dir.iterdir():
        # The file backend writes each message followed by a line of 79 dashes.
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                subjects.append(str(message_from_string(chunk.strip())["Subject"]))
    return subjects


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_notification_exactly_once(tmp_path):
    now = timezone.now()

    def make(name: str, **fields):
        return Notification.objects.create(
            dedupe_key=name, to=["applicant@example.com"], subject=name, body="正文", **fields
        )

    due = [make(f"due-{i}") for i in range(40)]
    stuck = [
        make(
            f"stuck-{i}",
            status=Notification.Status.SENDING,
            attempts=1,
            next_attempt_at=now - timedelta(seconds=5),
        )
        for i in range(5)
    ]
    leased = [
        make(
            f"leased-{i}",
            status=Notification.Status.SENDING,
            attempts=1,
            next_attempt_at=now + timedelta(minutes=10),
        )
        for i in range(3)
    ]
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = _env(mail_dir)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from casework.tasks import send_notifications\n"
            "for _ in range(12): send_notifications.enqueue()",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0",
                "--worker-id",
                f"test-worker-{n}",
            ],
            cwd=ROOT,
            env=env,
        )
        for n in (1, 2)
    ]
    for worker in workers:
        assert worker.wait(timeout=300) == 0

    expected = sorted(n.subject for n in due + stuck)
    assert sorted(_sent_subjects(mail_dir)) == expected
    assert set(
        Notification.objects.filter(pk__in=[n.pk for n in due + stuck]).values_list(
            "status", flat=True
        )
    ) == {Notification.Status.SENT}
    assert set(
        Notification.objects.filter(pk__in=[n.pk for n in leased]).values_list("status", flat=True)
    ) == {Notification.Status.SENDING}
    results = DBTaskResult.objects.all()
    assert results.count() == 12
    assert {r.status for r in results} == {"SUCCESSFUL"}
    assert {wid for r in results for wid in r.worker_ids} <= {"test-worker-1", "test-worker-2"}


@pytest.mark.django_db
def test_an_attachment_is_read_from_the_default_storage_by_its_name(mailoutbox):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from casework.notifications import notifications_send

    name = default_storage.save("letters/test/notice.pdf", ContentFile(b"%PDF-1.7 notice"))
    Notification.objects.create(
        dedupe_key="with-attachment",
        to=["applicant@example.com"],
        subject="告知书",
        body="附件为告知书。",
        attachment_path=name,
        attachment_name="告知书.pdf",
    )
    assert notifications_send() == (1, 0)
    assert mailoutbox[0].attachments[0][:2] == ("告知书.pdf", b"%PDF-1.7 notice")
