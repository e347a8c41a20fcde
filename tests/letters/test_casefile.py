"""The case file (案卷): one PDF whose text holds the case number, every letter's number,
every event and the deadline explanation; the letters are their frozen PDFs; the download
is access-checked (404 for another division). At archiving the case file is built by a task
after commit and stored frozen, one per case, with the released records as released and the
withheld ones by name and basis only."""

import io

import pikepdf
import pytest

from casework.choices import CaseStatus
from casework.models import Case
from letters.casefile import casefile_pdf
from letters.models import Letter
from letters.services import letter_issue
from tests.conftest import NOW
from tests.letters.test_letters import _clean, approved, pdf_text  # noqa: F401 - fixture


@pytest.fixture
def replied(approved, act, users):  # noqa: F811
    case = approved("partial", files="安置计划1份", withheld="第五条报价明细")
    letter_issue(number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW)
    act(case, "issue_reply", "registrar")
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLIED
    return case


@pytest.mark.django_db
def test_the_case_file_holds_the_number_letters_events_and_deadline(replied, tmp_path):
    data = casefile_pdf(replied, generated_by="王登记")
    assert data.startswith(b"%PDF")
    text = _clean(pdf_text(data, tmp_path))
    assert _clean(replied.number) in text
    letters = list(Letter.objects.filter(case=replied).order_by("issued_at"))
    assert len(letters) == 2
    for letter in letters:
        assert text.count(_clean(letter.number)) >= 2  # in the contents and on the letter
    from casework.lifecycle.table import event_kind_label

    for event in replied.events.all():
        assert _clean(event_kind_label(event.kind)) in text, event.kind
    assert "第五条报价明细" in text  # what was withheld
    assert "第三十三条" in text  # the deadline explanation
    with pikepdf.open(io.BytesIO(data)) as merged:
        own = 0
        for letter in letters:
            with pikepdf.open(io.BytesIO(letter.pdf.open("rb").read())) as frozen:
                own += len(frozen.pages)
        assert len(merged.pages) > own  # the front pages, then the letters as issued
        front = len(merged.pages) - own
        with merged.open_outline() as outline:
            titles = [item.title for item in outline.root]
    assert any(letters[0].number in t for t in titles)
    # the contents give each letter's first page in the file
    assert f"第{front + 1}页" in text


@pytest.mark.django_db
def test_the_download_is_for_those_who_may_see_the_case(client, replied, users):
    client.force_login(users["liaison_a"])
    response = client.get(f"/letters/casefile/{replied.number}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response).startswith(b"%PDF")
    assert replied.number in client.get(f"/cases/{replied.number}/").content.decode()
    client.force_login(users["liaison_b"])
    assert client.get(f"/letters/casefile/{replied.number}/").status_code == 404
    assert client.get("/letters/casefile/2099-9999/").status_code == 404
    client.logout()
    assert client.get(f"/letters/casefile/{replied.number}/").status_code == 302
    assert Case.objects.filter(pk=replied.pk).exists()


# --- the archived case file (built by a task after the archive commits) ----------------------

SECRET = "内部会议纪要机密段落甲乙丙"


def _unique_pdf() -> bytes:
    from weasyprint import HTML

    html = (
        "<html><body style=\"font-family: 'Noto Sans CJK SC'; font-size: 16pt\">"
        f"<h1>内部会议纪要</h1><p>{SECRET}</p></body></html>"
    )
    return bytes(HTML(string=html).write_pdf())


@pytest.fixture
def released_and_withheld(receive_flow, act, divisions, users, django_capture_on_commit_callbacks):
    """A case replied in part (Art 37): one record released with redactions, one withheld
    whole (Art 16(1) internal affairs), the set approved and released with the reply."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from letters.records import services as records
    from letters.records.models import Record, ReleaseSet
    from letters.records.samples import sample_text_pdf
    from tests.letters.records.test_records import approve_case

    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    letter_issue(number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        report = records.record_add(
            case=case,
            division=divisions["a"],
            uploaded=SimpleUploadedFile("report.pdf", sample_text_pdf(2)),
            actor=users["liaison_a"],
            title="调查报告",
        )
        minutes = records.record_add(
            case=case,
            division=divisions["a"],
            uploaded=SimpleUploadedFile("minutes.pdf", _unique_pdf()),
            actor=users["liaison_a"],
            title="内部会议纪要",
        )
    for record in (report, minutes):
        record.refresh_from_db()
        assert record.status == Record.Status.READY, record.error
    records.redaction_add(
        record=report,
        page=1,
        rect=[0.1, 0.1, 0.6, 0.2],
        ground="art15",
        note="",
        actor=users["liaison_a"],
    )
    records.page_withhold(
        record=minutes, page=1, ground="art16_1", note="", actor=users["liaison_a"]
    )
    records.suggestions_accept(record=report, actor=users["liaison_a"])  # its personal data
    with django_capture_on_commit_callbacks(execute=True):
        release_set = records.release_set_start(case=case, actor=users["liaison_a"])
    release_set.refresh_from_db()
    assert release_set.status == ReleaseSet.Status.IN_REVIEW, release_set.error
    records.release_set_approve(case=case, set_id=release_set.pk, actor=users["reviewer"])
    approve_case(case, act)  # partial disclosure, checked and approved (Art 37)
    act(case, "issue_reply", "registrar")
    release_set.refresh_from_db()
    assert release_set.status == ReleaseSet.Status.RELEASED
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_archiving_stores_one_case_file_built_by_the_task(
    released_and_withheld, act, client, users, tmp_path, django_capture_on_commit_callbacks
):
    """Archiving (Archives Law Art 14) writes one pending row in the request; the task on the
    long queue builds the PDF after commit: cover, contents, the application, the timeline,
    the Art 33 deadline explanation, every letter, the released records as released (Art 37),
    the withheld one by name and basis only."""
    import hashlib

    from letters.casefile import casefile_build, casefile_store
    from letters.models import CaseFile
    from letters.records.models import ReleasedFile

    case = released_and_withheld
    assert casefile_build.queue_name == "long"
    # The archive itself renders nothing: the row waits until the transaction commits.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        act(case, "archive", "registrar", note="归档")
        pending = CaseFile.objects.get(case=case)
        assert pending.status == CaseFile.Status.BUILDING
        assert not pending.pdf
        client.force_login(users["liaison_a"])
        assert (
            "归档案卷正在生成"
            in client.get(f"/cases/{case.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        )
    assert len(callbacks) >= 1
    for callback in callbacks:
        callback()  # the immediate backend runs the task now, as a worker would
    casefile = CaseFile.objects.get(case=case)
    assert casefile.status == CaseFile.Status.READY, casefile.error
    assert casefile.reason == CaseFile.Reason.ARCHIVE
    data = casefile.pdf.open("rb").read()
    assert hashlib.sha256(data).hexdigest() == casefile.sha256
    assert data.startswith(b"%PDF")

    text = _clean(pdf_text(data, tmp_path))
    assert "案卷" in text
    assert "目录" in text
    assert _clean(case.number) in text
    assert "办理过程" in text
    assert "答复期限说明" in text
    assert "第三十三条" in text
    from casework.lifecycle.table import event_kind_label

    for event in case.events.all():
        assert _clean(event_kind_label(event.kind)) in text, event.kind
    letters = list(Letter.objects.filter(case=case).order_by("issued_at"))
    assert len(letters) == 2
    for letter in letters:
        assert text.count(_clean(letter.number)) >= 2  # in the contents and on the letter
    released = list(ReleasedFile.objects.filter(release_set__case=case).order_by("position"))
    report = next(f for f in released if f.record.title == "调查报告")
    minutes = next(f for f in released if f.record.title == "内部会议纪要")
    assert "《调查报告》" in text
    assert _clean(report.name) in text
    assert report.sha256 in text
    # The withheld record: listed with its basis, its content nowhere.
    assert "内部会议纪要" in text
    assert "第十六条第一款" in text
    assert SECRET not in text
    assert minutes.sha256 not in text
    with pikepdf.open(io.BytesIO(data)) as merged:
        pages = len(merged.pages)
        with merged.open_outline() as outline:
            titles = [item.title for item in outline.root]
    own = sum(_pages(letter.pdf) for letter in letters) + report.pages
    assert casefile.pages == pages
    assert pages - own >= 2  # the front pages, then the letters, then the released file only
    assert any("调查报告" in t for t in titles)
    assert not any("内部会议纪要" in t for t in titles)
    assert f"第{pages - report.pages + 1}页" in text  # the released file's first page

    # Running the task again keeps the one case file, unchanged.
    assert casefile_build.enqueue(casefile.pk).return_value == casefile.sha256
    assert casefile_store(casefile.pk).sha256 == casefile.sha256
    assert CaseFile.objects.filter(case=case).count() == 1

    # The case page links the stored file with its SHA-256 and build time.
    page = client.get(f"/cases/{case.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert casefile.sha256 in page
    assert "归档案卷" in page
    response = client.get(f"/letters/casefile/{case.number}/archived/")
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == casefile.sha256
    client.force_login(users["liaison_b"])
    assert client.get(f"/letters/casefile/{case.number}/archived/").status_code == 404


def _pages(field) -> int:
    with pikepdf.open(io.BytesIO(field.open("rb").read())) as pdf:
        return len(pdf.pages)


@pytest.mark.django_db
def test_a_built_case_file_is_frozen_one_per_case_and_a_failed_one_is_rebuilt(
    replied, act, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.management import call_command
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from casework.models import AppendOnlyError
    from letters import casefile as module
    from letters.models import CaseFile

    act(replied, "archive", "registrar")
    casefile = CaseFile.objects.get(case=replied)  # on_commit not run: still pending
    assert casefile.status == CaseFile.Status.BUILDING
    assert module.casefile_archive_start(replied, now=timezone.now()).pk == casefile.pk

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(module, "casefile_pdf", broken)
    with pytest.raises(RuntimeError):
        module.casefile_store(casefile.pk)
    casefile.refresh_from_db()
    assert casefile.status == CaseFile.Status.FAILED
    assert "no fonts" in casefile.error
    monkeypatch.undo()

    # manage.py casefiles enqueues the missing and failed ones; the task builds them.
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("casefiles", stdout=out)
    assert "1" in out.getvalue()
    casefile.refresh_from_db()
    assert casefile.status == CaseFile.Status.READY, casefile.error
    assert casefile.error == ""
    out = io.StringIO()
    call_command("casefiles", stdout=out)
    assert "0" in out.getvalue()

    casefile.sha256 = "0" * 64
    with pytest.raises(AppendOnlyError):
        casefile.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFile.objects.create(case=replied, reason="archive", requested_at=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_archived_case_file(replied, act, settings, tmp_path):
    """With the database task backend the archive request only enqueues: the PDF is built by
    `manage.py db_worker` on the long queue (ADR 0007), never in the request."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.db import connection

    from django_tasks_db.models import DBTaskResult

    from letters.models import CaseFile

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "long"]}
    }
    act(replied, "archive", "registrar")
    casefile = CaseFile.objects.get(case=replied)
    assert casefile.status == CaseFile.Status.BUILDING
    queued = DBTaskResult.objects.filter(queue_name="long", status="READY")
    assert [r.task_path for r in queued] == ["letters.casefile.casefile_build"]
    (tmp_path / "mail").mkdir()
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.worker_settings",
        CASEWORK_TEST_DB_NAME=str(connection.settings_dict["NAME"]),
        CASEWORK_TEST_MAIL_DIR=str(tmp_path / "mail"),
        CASEWORK_TEST_MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    worker = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0",
            "--queue-name",
            "long",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        timeout=300,
        check=False,
    )
    assert worker.returncode == 0
    casefile.refresh_from_db()
    assert casefile.status == CaseFile.Status.READY, casefile.error
    data = casefile.pdf.open("rb").read()
    assert data.startswith(b"%PDF")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
