"""Records on a case through the pages and services: upload, suggestions, redaction, the
release set's review, release with the reply, and the applicant's download. Access: another
division gets 404; the applicant gets released files only, never originals."""

import hashlib
import subprocess
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

import pytest

from casework.errors import CaseworkError, NotPermitted, WrongState
from letters.models import Letter
from letters.records import services
from letters.records.models import Record, RecordAudit, Redaction, ReleaseSet
from letters.records.samples import SAMPLE_EMAIL, SAMPLE_ID, SAMPLE_MOBILE


@pytest.fixture
def handling(receive_flow, act, divisions):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    case.refresh_from_db()
    return case


def propose_partial(case, act):
    act(
        case,
        "propose",
        "liaison_a",
        on=date(2026, 3, 10),
        disposition="partial",
        basis="《中华人民共和国政府信息公开条例》第三十七条",
        withheld="见附件",
    )


def approve_case(case, act):
    """Propose partial disclosure, review and sign it off: the release set must be built
    (to propose) and approved (to review and sign off) before (issue 21 point 1)."""
    propose_partial(case, act)
    act(case, "check", "reviewer", on=date(2026, 3, 11))
    act(case, "approve", "head", on=date(2026, 3, 12))


def login(client, user):
    client.force_login(user)
    return client


def text_of(data: bytes, tmp_path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return "".join(out.stdout.split())


@pytest.mark.django_db
def test_records_from_upload_to_the_applicants_download(
    client, users, handling, act, text_pdf, tmp_path, django_capture_on_commit_callbacks
):
    case = handling
    base = f"/work/cases/{case.number}/records/"
    login(client, users["liaison_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            base,
            {
                "file": SimpleUploadedFile("report.pdf", text_pdf, "application/pdf"),
                "division": handling.lead_division_id,
                "title": "调查报告",
                "names": "李四华",
            },
        )
    assert response.status_code == 302
    record = Record.objects.get(case=case)
    assert record.status == Record.Status.READY, record.error
    assert record.pages_total == 2
    assert record.sha256 == hashlib.sha256(text_pdf).hexdigest()
    assert record.suggestions.filter(kind="id_number").count() == 2
    assert RecordAudit.objects.filter(case=case, action="record_added").exists()
    assert client.get(f"/cases/{case.number}/").content.decode().count("调查报告") >= 1
    progress = client.get(f"{base}progress/").json()
    assert progress["busy"] is False
    assert progress["records"][0]["pages_done"] == 2
    page = client.get(f"{base}{record.pk}/")
    assert page.status_code == 200
    assert client.get(f"{base}{record.pk}/pages/1.png")["Content-Type"] == "image/png"

    # Another division sees nothing of it: 404 everywhere, as for a missing case.
    other = login(client.__class__(), users["liaison_b"])
    for url in (
        base,
        f"{base}{record.pk}/",
        f"{base}{record.pk}/original/",
        f"{base}{record.pk}/pages/1.png",
        f"{base}progress/",
    ):
        assert other.get(url).status_code == 404, url
    assert other.post(f"{base}{record.pk}/accept/").status_code == 404

    # A box drawn by hand, then every suggestion accepted.
    client.post(
        f"{base}{record.pk}/redactions/",
        {"page": 1, "x0": 0.1, "y0": 0.9, "x1": 0.5, "y1": 0.95, "ground": "art16_2", "note": ""},
    )
    accepted = client.post(f"{base}{record.pk}/accept/")
    assert record.suggestions.filter(accepted=False).count() == 0
    assert Redaction.objects.filter(record=record).count() > 10
    # Nothing left open: on to the records page, where the set is built (issue 24).
    assert accepted.status_code == 302
    assert accepted["Location"] == base

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{base}release/")
    release_set = ReleaseSet.objects.get(case=case)
    assert release_set.status == ReleaseSet.Status.IN_REVIEW, release_set.error
    released = release_set.files.get()
    assert released.pages == 2
    released_bytes = released.file.read()
    assert hashlib.sha256(released_bytes).hexdigest() == released.sha256
    text = text_of(released_bytes, tmp_path)
    for secret in (SAMPLE_ID, SAMPLE_MOBILE, SAMPLE_EMAIL, "李四华"):
        assert secret not in text

    # The propose form opens with the set's withheld statement, articles included, though
    # the set is still in review (issue 24 point 6: nothing retyped).
    form = client.get(f"/work/cases/{case.number}/act/propose/").content.decode()
    assert "《中华人民共和国政府信息公开条例》第十五条" in form
    propose_partial(case, act)  # the set is built: the decision may be proposed
    # An unapproved set cannot go out: review and sign-off wait for the set's approval.
    with pytest.raises(WrongState):
        act(case, "check", "reviewer", on=date(2026, 3, 11))
    with pytest.raises(WrongState):
        services.release_set_release(release_set=release_set, letter=None)
    # The officer cannot approve; the reviewer can, on the review page.
    with pytest.raises(NotPermitted):
        services.release_set_approve(case=case, set_id=release_set.pk, actor=users["liaison_a"])
    reviewer = login(client.__class__(), users["reviewer"])
    assert reviewer.get(f"{base}sets/{release_set.pk}/").status_code == 200
    approved = reviewer.post(
        f"{base}sets/{release_set.pk}/decide/", {"decision": "approve", "note": "同意"}
    )
    release_set.refresh_from_db()
    assert release_set.status == ReleaseSet.Status.APPROVED
    assert release_set.statement
    # The reviewer's next step is the decision: back on the case page (issue 24).
    assert approved["Location"] == f"/cases/{case.number}/"
    act(case, "check", "reviewer", on=date(2026, 3, 11))
    act(case, "approve", "head", on=date(2026, 3, 12))

    act(case, "issue_reply", "registrar")
    letter = Letter.objects.get(case=case)
    release_set.refresh_from_db()
    assert release_set.status == ReleaseSet.Status.RELEASED
    assert release_set.letter == letter
    assert "附件1《调查报告》（2页）" in letter.context["files"]
    assert "第十五条" in letter.context["withheld"]
    assert "第十六条第二款" in letter.context["withheld"]

    # The applicant is told by e-mail, with links to the tracking page's downloads.
    from casework.models import Notification

    mail = Notification.objects.get(dedupe_key=f"released:{release_set.pk}")
    assert f"/track/{case.number}/released/{released.pk}/" in mail.body
    assert released.sha256 in mail.body
    # The applicant (a tracked session) downloads the released file, never the original.
    applicant = client.__class__()
    session = applicant.session
    session["portal_tracked_cases"] = [case.number]
    session.save()
    track = applicant.get(f"/track/{case.number}/").content.decode()
    assert released.sha256 in track
    download = applicant.get(f"/track/{case.number}/released/{released.pk}/")
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == released.sha256
    assert body != text_pdf
    assert applicant.get(f"{base}{record.pk}/original/").status_code == 302  # to the login
    stranger = client.__class__()
    assert stranger.get(f"/track/{case.number}/released/{released.pk}/")["Location"] == "/track/"
    verify = applicant.get("/verify/", {"code": letter.verification_code}).content.decode()
    assert released.sha256 in verify


@pytest.mark.django_db
def test_bad_upload_is_refused_in_chinese_and_nothing_is_stored(client, users, handling, text_pdf):
    from django.conf import settings

    login(client, users["liaison_a"])
    before = (
        set((settings.MEDIA_ROOT / "records").rglob("*"))
        if (settings.MEDIA_ROOT / "records").exists()
        else set()
    )
    with translation.override("zh-hans"):
        response = client.post(
            f"/work/cases/{handling.number}/records/",
            {
                "file": SimpleUploadedFile("report.pdf", text_pdf[:2000], "application/pdf"),
                "division": handling.lead_division_id,
            },
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 400
    assert "损坏" in response.content.decode()
    assert not Record.objects.exists()
    after = (
        set((settings.MEDIA_ROOT / "records").rglob("*"))
        if (settings.MEDIA_ROOT / "records").exists()
        else set()
    )
    assert after == before


@pytest.mark.django_db
def test_a_failed_conversion_is_marked_with_its_reason_and_can_be_retried(
    users, handling, django_capture_on_commit_callbacks, monkeypatch
):
    from letters.records import pdf

    docx = b"PK\x03\x04" + b"not really a document" * 10
    with django_capture_on_commit_callbacks(execute=True):
        record = services.record_add(
            case=handling,
            division=handling.lead_division,
            uploaded=SimpleUploadedFile("memo.docx", docx),
            actor=users["liaison_a"],
        )
    record.refresh_from_db()
    assert record.status == Record.Status.FAILED
    assert record.error
    monkeypatch.setattr(
        pdf,
        "office_to_pdf",
        lambda data, name: __import__("letters.records.samples", fromlist=["x"]).sample_text_pdf(1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.record_retry(record=record, actor=users["liaison_a"])
    record.refresh_from_db()
    assert record.status == Record.Status.READY
    assert record.pages_total == 1


@pytest.mark.django_db
def test_a_co_division_adds_only_for_its_part(users, handling, divisions, text_pdf):
    with pytest.raises(NotPermitted):
        services.record_add(
            case=handling,
            division=divisions["b"],
            uploaded=SimpleUploadedFile("a.pdf", text_pdf),
            actor=users["liaison_b"],
        )


@pytest.mark.django_db
def test_progress_shows_on_the_case_page(client, users, handling, text_pdf):
    record = services.record_add(
        case=handling,
        division=handling.lead_division,
        uploaded=SimpleUploadedFile("a.pdf", text_pdf),
        actor=users["liaison_a"],
    )  # no commit in this test: the job has not run
    Record.objects.filter(pk=record.pk).update(
        status=Record.Status.PROCESSING, pages_done=1, pages_total=2
    )
    login(client, users["liaison_a"])
    with translation.override("zh-hans"):
        page = client.get(f"/cases/{handling.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert "处理中 1/2" in html
    assert f'data-poll="/work/cases/{handling.number}/records/progress/"' in html
    assert "records/records.js" in html  # the poller is a static file, not inline script
    assert "<script>" not in html


@pytest.mark.django_db
def test_a_returned_or_changed_set_cannot_go_out(
    users, handling, act, text_pdf, django_capture_on_commit_callbacks, settings
):
    settings.RECORDS_RELEASE_TEXT_LAYER = False
    with django_capture_on_commit_callbacks(execute=True):
        record = services.record_add(
            case=handling,
            division=handling.lead_division,
            uploaded=SimpleUploadedFile("a.pdf", text_pdf),
            actor=users["liaison_a"],
        )
    record.refresh_from_db()
    services.suggestions_accept(record=record, actor=users["liaison_a"])
    with django_capture_on_commit_callbacks(execute=True):
        first = services.release_set_start(case=handling, actor=users["liaison_a"])
    with pytest.raises(CaseworkError):
        services.release_set_return(
            case=handling, set_id=first.pk, actor=users["reviewer"], note=""
        )
    services.release_set_return(
        case=handling, set_id=first.pk, actor=users["reviewer"], note="第2页电话未遮盖"
    )
    with pytest.raises(WrongState):
        services.release_set_approve(case=handling, set_id=first.pk, actor=users["reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        second = services.release_set_start(case=handling, actor=users["liaison_a"])
    services.release_set_approve(case=handling, set_id=second.pk, actor=users["reviewer"])
    # A change after approval supersedes the approved set: it must be built and approved again.
    services.page_withhold(
        record=record, page=2, ground="art16_1", note="", actor=users["liaison_a"]
    )
    second.refresh_from_db()
    assert second.status == ReleaseSet.Status.SUPERSEDED
    with pytest.raises(WrongState):  # no set built any more: the decision cannot be proposed
        approve_case(handling, act)
    assert not Letter.objects.filter(case=handling).exists()
