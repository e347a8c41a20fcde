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
    # The case file's own job (the case library queues its index refresh beside it).
    job = DBTaskResult.objects.get(task_path="letters.casefile.casefile_build")
    assert job.status == "SUCCESSFUL"


# --- issue 21 point 9: masked ID numbers, no lock while rendering, one running page number ---

FULL_ID = "370102198001011237"  # tests.conftest.VALID_RESIDENT_ID, the applicant's
MASKED_ID = "3701**********1237"


@pytest.mark.django_db
def test_the_case_file_masks_id_numbers_and_the_unmasked_one_is_a_recorded_reveal(
    replied, act, client, users, tmp_path, django_capture_on_commit_callbacks
):
    """As on the case page (PIPL Art 51): the case file as served to the division's officers
    and as archived shows the ID number masked; the roles that may reveal it (registrar,
    reviewer, head) ask for the unmasked file by POST, and that is recorded first."""
    from letters.casefile import casefile_store
    from letters.models import CaseFile
    from workflows.models import IdNumberReveal

    client.force_login(users["liaison_a"])
    served = _clean(
        pdf_text(b"".join(client.get(f"/letters/casefile/{replied.number}/")), tmp_path)
    )
    assert MASKED_ID in served
    assert FULL_ID not in served
    # A liaison officer may not reveal, here as on the case page.
    url = f"/cases/{replied.number}/casefile-full-id/"
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405  # never by a link that a crawler could follow
    assert not IdNumberReveal.objects.exists()
    client.force_login(users["liaison_b"])
    assert client.post(url).status_code == 404  # another division: not even the case

    for who in ("registrar", "reviewer", "head"):
        client.force_login(users[who])
        response = client.post(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store"
        text = _clean(pdf_text(response.content, tmp_path))
        assert FULL_ID in text
        assert "本案卷含完整证件号码" in text
        reveal = IdNumberReveal.objects.filter(user=users[who]).get()
        assert (reveal.case, reveal.whose, reveal.shown_in) == (replied, "applicant", "case_file")
    page = client.get(f"/cases/{replied.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "案卷（PDF）" in page.content.decode()  # the reveals listed, where they were shown

    with django_capture_on_commit_callbacks(execute=False):
        act(replied, "archive", "registrar")
    archived = casefile_store(CaseFile.objects.get(case=replied).pk)
    text = _clean(pdf_text(archived.pdf.open("rb").read(), tmp_path))
    assert MASKED_ID in text
    assert FULL_ID not in text


def _page_texts(data: bytes, tmp_path) -> list[str]:
    import subprocess

    path = tmp_path / "pages.pdf"
    path.write_bytes(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        count = len(pdf.pages)
    return [
        _clean(
            subprocess.run(
                ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for n in range(1, count + 1)
    ]


@pytest.mark.django_db
def test_every_page_has_one_running_number_and_the_contents_give_every_section(
    released_and_withheld, tmp_path
):
    """第 n 页 / 共 N 页 on every page of the case file: the front pages, the frozen letters and
    the released records; the contents (目录) list every section with the page it starts on."""
    import re

    data = casefile_pdf(released_and_withheld, generated_by="王登记")
    pages = _page_texts(data, tmp_path)
    total = len(pages)
    assert total >= 6
    for number, text in enumerate(pages, start=1):
        stamps = re.findall(r"第(\d+)页/共(\d+)页", text)
        assert stamps == [(str(number), str(total))], (number, stamps)

    contents = next(i for i, t in enumerate(pages, start=1) if "目录" in t and "案卷封面" in t)
    toc = pages[contents - 1]
    # Each section's entry, and what only the section itself prints on its first page.
    sections = {
        "案卷封面": "组卷日期",
        "目录": "案卷封面第1页",
        "一、申请及附件清单": "提交渠道",
        "附件清单": "文件名",
        "二、答复决定及提供、不予公开的信息": "答复类型",
        "提供的政府信息": "提供日期",
        "不予公开的政府信息（未附）": "第十六条第一款",
        "三、办理过程（事件记录）": "→已接收",
        "四、答复期限说明": "第三十三条",
    }
    for title, body in sections.items():
        # an entry follows the heading 目录 or the page of the entry before it
        found = re.search(r"(?:目录|页)" + re.escape(title) + r"第(\d+)页", toc)
        assert found, title
        page = int(found.group(1))
        assert body in pages[page - 1], (title, page)
    # The letters and the released record start where their bookmarks point, and the
    # contents give that page.
    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_outline() as outline:
        marks = {
            item.title: pikepdf.Page(item.destination[0]).index + 1  # type: ignore[index]
            for item in outline.root
        }
    for letter in Letter.objects.filter(case=released_and_withheld):
        page = next(p for title, p in marks.items() if letter.number in title)
        assert page > contents
        assert _clean(letter.number) in pages[page - 1]
        assert f"第{page}页" in toc
    page = next(p for title, p in marks.items() if "调查报告" in title)
    assert re.search(r"《调查报告》.*?第" + str(page) + "页", toc)
    assert page == total - 1  # the released file (2 pages) closes the case file


@pytest.mark.django_db(transaction=True)
def test_the_build_holds_no_lock_while_it_renders_and_other_cases_move_on(
    approved,  # noqa: F811
    act,
    users,
    receive_flow,
    monkeypatch,
    tmp_path,
):
    """A 5,000-character request rendered by the archive's task: the render runs outside any
    transaction, and while it renders another case's transition commits (on SQLite, whose
    IMMEDIATE transactions take the write lock at BEGIN, a render inside one made every write
    wait on it for minutes and answer 409)."""
    import threading
    import time

    from django.db import connection, connections

    from letters import casefile as module
    from letters.models import CaseFile

    case = approved("partial", files="安置计划1份", withheld="第五条报价明细")
    request = ("请提供本市2025年退役士兵安置计划的全文、附件及其落实情况的报告，" * 200)[:5000]
    Case.objects.filter(pk=case.pk).update(description=request)
    act(case, "issue_reply", "registrar")
    other = receive_flow()
    real_render = module.html_to_pdf
    seen: dict[str, object] = {"atomic": [], "other": None}

    def moved_on() -> None:
        try:
            started = time.monotonic()
            act(other, "register", "registrar")
            seen["other"] = time.monotonic() - started
        except Exception as exc:  # a lock wait ends in OperationalError / WrongState
            seen["other"] = exc
        finally:
            connections.close_all()

    def render(html: str) -> bytes:
        seen["atomic"].append(connection.in_atomic_block)  # type: ignore[union-attr]
        if len(seen["atomic"]) == 1:  # type: ignore[arg-type]
            writer = threading.Thread(target=moved_on)
            writer.start()
            writer.join(timeout=60)  # the build is paused in its render step meanwhile
        return real_render(html)

    monkeypatch.setattr(module, "html_to_pdf", render)
    started = time.monotonic()
    act(case, "archive", "registrar")  # the immediate backend builds it after commit
    elapsed = time.monotonic() - started
    casefile = CaseFile.objects.get(case=case)
    assert casefile.status == CaseFile.Status.READY, casefile.error
    assert seen["atomic"]
    assert not any(seen["atomic"])  # type: ignore[arg-type]
    assert isinstance(seen["other"], float), seen["other"]
    assert seen["other"] < 10  # committed while the case file was rendering
    other.refresh_from_db()
    assert other.status == "registered"
    assert elapsed < 60, elapsed  # 105 s of table layout before fixed tables
    text = _clean(pdf_text(casefile.pdf.open("rb").read(), tmp_path))
    assert _clean(request[:40]) in text
