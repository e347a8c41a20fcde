"""Issue 21 point 1, the defect as found: on a partial-disclosure case the liaison officer
uploaded a record with personal data; nobody accepted a suggestion; the proposal, the review
and the sign-off passed without an approved release set; a set with zero boxes went out and
the applicant downloaded the ID number, the mobile and the name in clear. Now every step
refuses until each suggestion is decided and the set is approved, and the review and sign-off
forms show the set."""

import subprocess
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from casework.errors import InvalidInput, WrongState
from letters.models import Letter
from letters.records import services
from letters.records.models import RecordAudit, ReleaseSet
from letters.records.samples import SAMPLE_ID, SAMPLE_MOBILE, SAMPLE_NAME, SAMPLE_PLATE
from tests.letters.records.test_records import propose_partial


@pytest.fixture
def investigating(receive_flow, act, divisions):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    case.refresh_from_db()
    return case


def _text(data: bytes, tmp_path) -> str:
    path = tmp_path / "released.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return "".join(out.stdout.split())


@pytest.mark.django_db
def test_partial_disclosure_cannot_reach_the_applicant_with_an_open_suggestion(
    client, users, investigating, act, text_pdf, tmp_path, django_capture_on_commit_callbacks
):
    case, officer, reviewer = investigating, users["liaison_a"], users["reviewer"]
    with django_capture_on_commit_callbacks(execute=True):
        record = services.record_add(
            case=case,
            division=case.lead_division,
            uploaded=SimpleUploadedFile("report.pdf", text_pdf, "application/pdf"),
            actor=officer,
            title="调查报告",
            names=[SAMPLE_NAME],
        )
    record.refresh_from_db()
    found = record.suggestions.count()
    assert {"id_number", "mobile", "name"} <= set(record.suggestions.values_list("kind", flat=True))

    # The step sequence of the defect: nobody accepts a suggestion, the officer proposes.
    with pytest.raises(WrongState) as refused:
        propose_partial(case, act)
    assert "个人信息提示未处理" in refused.value.message
    assert str(found) in refused.value.message
    # A set with open suggestions is refused, naming how many are open.
    with pytest.raises(WrongState) as refused:
        services.release_set_start(case=case, actor=officer)
    assert f"还有{found}条个人信息提示未处理" in refused.value.message
    assert not ReleaseSet.objects.filter(case=case).exists()

    # Dismissing needs a reason; a dismissal is audited without the personal data itself.
    plate = list(record.suggestions.filter(value=SAMPLE_PLATE).values_list("pk", flat=True))
    with pytest.raises(InvalidInput):
        services.suggestions_dismiss(record=record, actor=officer, ids=plate, reason=" ")
    services.suggestions_dismiss(
        record=record, actor=officer, ids=plate, reason="公务车辆号牌，不属于个人信息"
    )
    row = RecordAudit.objects.get(case=case, action="suggestions_dismissed")
    assert row.payload["reason"] == "公务车辆号牌，不属于个人信息"
    assert SAMPLE_PLATE not in str(row.payload)
    with pytest.raises(WrongState) as refused:  # the others are still open
        services.release_set_start(case=case, actor=officer)
    assert f"还有{found - len(plate)}条" in refused.value.message

    # Through the redaction page: the rest accepted, the set built, then proposed.
    client.force_login(officer)
    base = f"/work/cases/{case.number}/records/"
    page = client.get(f"{base}{record.pk}/").content.decode()
    assert "不予遮盖的理由" in page
    assert "公务车辆号牌，不属于个人信息" in page
    client.post(f"{base}{record.pk}/accept/")
    with django_capture_on_commit_callbacks(execute=True):
        release_set = services.release_set_start(case=case, actor=officer)
    release_set.refresh_from_db()
    assert release_set.status == ReleaseSet.Status.IN_REVIEW, release_set.error
    propose_partial(case, act)

    # Review (审核通过) and sign-off wait for the set's approval.
    with pytest.raises(WrongState) as refused:
        act(case, "check", "reviewer", on=date(2026, 3, 11))
    assert "公开文件尚未审核通过" in refused.value.message
    reviewer_client = client.__class__()
    reviewer_client.force_login(reviewer)
    case_page = reviewer_client.get(f"/cases/{case.number}/").content.decode()
    assert "公开文件尚未审核通过" in case_page  # what blocks, on the reviewer's case page
    services.release_set_approve(case=case, set_id=release_set.pk, actor=reviewer)

    # The review form shows the set: the file, its boxes and grounds, the dismissed
    # suggestion with its reason, a link to the redacted file.
    form = reviewer_client.get(f"/work/cases/{case.number}/act/check/").content.decode()
    released = release_set.files.get()
    assert released.name in form
    assert "第十五条（商业秘密、个人隐私）" in form
    assert "公务车辆号牌，不属于个人信息" in form
    assert f"{base}sets/{release_set.pk}/files/{released.pk}/" in form
    act(case, "check", "reviewer", on=date(2026, 3, 11))

    # After the review the record is read again for another name: a new suggestion is open,
    # the approved set is out of date, and the head cannot sign off.
    services.record_set_names(record=record, names=[SAMPLE_NAME, "王小明"], actor=officer)
    services.record_process(record.pk)
    release_set.refresh_from_db()
    assert release_set.status == ReleaseSet.Status.SUPERSEDED
    with pytest.raises(WrongState) as refused:
        act(case, "approve", "head", on=date(2026, 3, 12))
    assert "个人信息提示未处理" in refused.value.message
    head = client.__class__()
    head.force_login(users["head"])
    still_open = record.suggestions.filter(accepted=False, dismissed_at__isnull=True).count()
    assert still_open >= 1
    assert (
        f"还有{still_open}条个人信息提示未处理"
        in head.get(f"/cases/{case.number}/").content.decode()
    )

    services.suggestions_accept(record=record, actor=officer)
    with django_capture_on_commit_callbacks(execute=True):
        rebuilt = services.release_set_start(case=case, actor=officer)
    services.release_set_approve(case=case, set_id=rebuilt.pk, actor=reviewer)
    sign_off = head.get(f"/work/cases/{case.number}/act/approve/").content.decode()
    assert "公务车辆号牌，不属于个人信息" in sign_off
    act(case, "approve", "head", on=date(2026, 3, 12))
    act(case, "issue_reply", "registrar")
    assert Letter.objects.filter(case=case, kind="reply.partial").exists()

    # What the applicant downloads carries none of the accepted personal data.
    rebuilt.refresh_from_db()
    assert rebuilt.status == ReleaseSet.Status.RELEASED
    text = _text(rebuilt.files.get().file.read(), tmp_path)
    for secret in (SAMPLE_ID, SAMPLE_MOBILE, SAMPLE_NAME, "王小明"):
        assert secret not in text
    assert SAMPLE_PLATE in text  # dismissed with its reason: released as it is


@pytest.mark.django_db
def test_a_granted_decision_on_a_case_with_records_needs_the_approved_set(
    users, investigating, act, text_pdf
):
    """Granted with records: the records are what is provided, reviewed before they go out."""
    from tests.provision import BY_POST

    services.record_add(
        case=investigating,
        division=investigating.lead_division,
        uploaded=SimpleUploadedFile("a.pdf", text_pdf, "application/pdf"),
        actor=users["liaison_a"],
    )
    services.record_process(investigating.records.get().pk)
    with pytest.raises(WrongState) as refused:
        act(investigating, "propose", "liaison_a", disposition="granted", basis="", **BY_POST)
    assert "个人信息提示未处理" in refused.value.message
