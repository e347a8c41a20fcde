"""The applicant's side: apply online (one case per submission, kept input on errors,
checked uploads), tracking by number and query code (same answer for wrong and unknown,
throttled), letters, verification and withdrawal; notifications by e-mail."""

import io

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image

from casework.models import Attachment, Case, Notification
from casework.notifications import notifications_send
from tests.conftest import VALID_RESIDENT_ID


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 20, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _form(**overrides):
    data = {
        "category": "natural_person",
        "name": "李明",
        "id_type": "resident_id",
        "id_number": VALID_RESIDENT_ID,
        "phone": "13800138000",
        "email": "liming@example.com",
        "subject": "2025年度部门预算",
        "description": "",
        "provision_form": "electronic",
        "delivery_method": "email",
        "submission_token": "tok-123",
        "id_proof": SimpleUploadedFile("id.png", _png(), content_type="image/png"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def office_with_registrar(organ, users):
    users["registrar"].email = "registrar@example.gov.cn"
    users["registrar"].save()
    return organ


@pytest.mark.django_db
def test_apply_online_once_even_when_submitted_twice(
    client, office_with_registrar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/apply/", _form())
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    case = Case.objects.get()
    assert case.number in done
    assert case.status == "received"
    assert case.received_on is None  # waits for the office's confirmation (Art 31)
    assert Attachment.objects.get(case=case).content_type == "image/png"
    # the same form again (double click, refresh): no second case
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/apply/", _form())
    assert again.status_code == 302
    assert Case.objects.count() == 1
    subjects = sorted(m.subject for m in mail.outbox)
    assert any(case.number in s and "已收到" in s for s in subjects)
    assert any("新的网上政府信息公开申请" in s for s in subjects)
    applicant_mail = next(m for m in mail.outbox if m.to == ["liming@example.com"])
    code = applicant_mail.body.split("查询码：")[1].split("\n")[0].strip()
    assert code in done
    assert len([m for m in mail.outbox if m.to == ["liming@example.com"]]) == 1


@pytest.mark.django_db
def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, office_with_registrar):
    response = client.post("/apply/", _form(id_number="370102198001011238", phone="123"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "校验位" in page
    assert 'value="李明"' in page
    assert 'aria-invalid="true"' in page
    assert Case.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "fragment"),
    [
        (
            SimpleUploadedFile(
                "id.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf"
            ),
            "不是 PDF",
        ),
        (SimpleUploadedFile("id.pdf", _png(), content_type="application/pdf"), "名称不符"),
        (
            SimpleUploadedFile(
                "big.pdf", b"%PDF-1.7" + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
            ),
            "过大",
        ),
    ],
)
def test_disguised_or_oversized_upload_is_refused(client, office_with_registrar, upload, fragment):
    response = client.post("/apply/", _form(id_proof=upload))
    assert response.status_code == 400
    assert fragment in response.content.decode()
    assert Case.objects.count() == 0
    assert Attachment.objects.count() == 0


@pytest.fixture
def applied(client, office_with_registrar):
    response = client.post("/apply/", _form())
    page = client.get(response["Location"]).content.decode()
    case = Case.objects.get()
    code = page.split('查询码：<span class="code">')[1].split("<")[0]
    client.logout()
    client.cookies.clear()
    return case, code


@pytest.mark.django_db
def test_track_with_number_and_code(client, applied):
    case, code = applied
    response = client.post(
        "/track/", {"number": case.number, "code": code.lower().replace("-", "")}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "已接收" in page
    assert case.subject in page


@pytest.mark.django_db
def test_wrong_code_and_unknown_number_get_the_same_answer_and_are_throttled(
    client, applied, settings
):
    case, code = applied
    wrong = client.post("/track/", {"number": case.number, "code": "AAAA-AAAA"})
    unknown = client.post("/track/", {"number": "2099-9999", "code": code})
    assert wrong.status_code == unknown.status_code == 400
    message = "申请编号或查询码不正确"
    assert message in wrong.content.decode()
    assert message in unknown.content.decode()
    for _ in range(settings.PORTAL_MAX_FAILURES):
        client.post("/track/", {"number": case.number, "code": "BBBB-BBBB"})
    throttled = client.post("/track/", {"number": case.number, "code": code})
    assert throttled.status_code == 429
    assert "错误次数过多" in throttled.content.decode()


@pytest.mark.django_db
def test_withdraw_from_the_portal(client, applied):
    case, code = applied
    client.post("/track/", {"number": case.number, "code": code})
    # without the confirmation (or without a reason) nothing happens
    response = client.post(f"/track/{case.number}/withdraw/", {"reason": "不再需要"})
    assert response.status_code == 400
    assert "请填写理由并确认" in response.content.decode()
    response = client.post(f"/track/{case.number}/withdraw/", {"confirm": "on"})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "received"
    response = client.post(
        f"/track/{case.number}/withdraw/", {"reason": "不再需要", "confirm": "on"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "withdrawn"
    event = case.events.order_by("-seq").first()
    assert (event.kind, event.actor_role) == ("withdraw", "申请人")
    assert event.payload["reason"] == "不再需要"


@pytest.mark.django_db
def test_letters_download_and_verification(client, applied, users):
    from letters.services import letter_issue
    from workflows.services import case_act

    case, code = applied
    case_act(number=case.number, name="confirm_receipt", actor=users["registrar"])
    case_act(number=case.number, name="register", actor=users["registrar"])
    letter = letter_issue(number=case.number, kind="acknowledgement", actor=users["registrar"])
    client.post("/track/", {"number": case.number, "code": code})
    page = client.get(f"/track/{case.number}/").content.decode()
    assert letter.number in page
    response = client.get(f"/track/{case.number}/letters/{letter.pk}/")
    assert response["Content-Disposition"].startswith("attachment")
    verified = client.post("/verify/", {"code": letter.verification_code.lower()}).content.decode()
    assert "真实有效" in verified
    assert letter.number in verified
    assert "未找到" in client.post("/verify/", {"code": "ZZZZ-ZZZZ-ZZZZ"}).content.decode()


@pytest.mark.django_db
def test_failed_mail_is_retried_and_never_sent_twice(office_with_registrar, settings, monkeypatch):
    from casework.notifications import notify

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notify(key="k1", to=["a@example.com"], subject="s", body="b")
    notify(key="k1", to=["a@example.com"], subject="s", body="b")  # the same key: one message
    assert Notification.objects.count() == 1
    calls = {"n": 0}
    real_send = mail.EmailMessage.send

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("smtp down")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", flaky)
    assert notifications_send() == (0, 1)
    n = Notification.objects.get()
    assert (n.status, n.attempts) == ("pending", 1)
    assert "smtp down" in n.last_error
    from django.utils import timezone

    later = timezone.now() + timezone.timedelta(hours=1)
    assert notifications_send(now=later) == (1, 0)
    assert notifications_send(now=later) == (0, 0)
    assert len(mail.outbox) == 1
    assert Notification.objects.get().status == "sent"


@pytest.mark.django_db
def test_guide_shows_the_office_and_the_rules(client, organ):
    page = client.get("/guide/").content.decode()
    for text in [
        organ.address,
        organ.postal_code,
        organ.phone,
        "20个工作日",
        "第三十一条",
        "信息处理费",
    ]:
        assert text in page


# --- Issue 11, point 3: internal stays internal ----------------------------------------------


@pytest.fixture
def consulted(client, applied, users, divisions):
    """The applied case in investigation with a third-party consultation: an acknowledgement
    (to the applicant), a 征求意见书 (to the third party) and a 征求意见告知书 (to the
    applicant), the acknowledgement voided and reissued; the client tracks the case."""
    from letters.services import letter_issue, letter_void
    from workflows.services import case_act

    case, code = applied

    def act(name, who, **fields):
        return case_act(number=case.number, name=name, actor=users[who], fields=fields)

    act("confirm_receipt", "registrar")
    act("register", "registrar")
    act("assign", "reviewer", lead_division_id=divisions["a"].pk)
    act("claim", "liaison_a")
    act("open_consultation", "liaison_a", party="third_party", party_name="济南某某物业公司")
    (consultation_id,) = [
        e.payload["consultation_id"] for e in case.events.filter(kind="open_consultation")
    ]
    ack = letter_issue(number=case.number, kind="acknowledgement", actor=users["registrar"])
    third = letter_issue(
        number=case.number,
        kind="consultation_third_party",
        actor=users["registrar"],
        consultation_id=consultation_id,
    )
    notice = letter_issue(number=case.number, kind="consultation_notice", actor=users["registrar"])
    ack2 = letter_void(letter_id=ack.pk, actor=users["reviewer"], reason="日期有误")
    client.post("/track/", {"number": case.number, "code": code})
    return {"case": case, "ack": ack, "ack2": ack2, "third": third, "notice": notice}


@pytest.mark.django_db
def test_tracking_page_lists_only_the_applicants_letters(client, consulted):
    case, third = consulted["case"], consulted["third"]
    page = client.get(f"/track/{case.number}/").content.decode()
    assert consulted["notice"].number in page
    assert consulted["ack2"].number in page
    # The letter to the third party, and who the third party is, never reach the applicant.
    assert third.number not in page
    assert "济南某某物业公司" not in page
    assert f"/letters/{third.pk}/" not in page
    response = client.get(f"/track/{case.number}/letters/{third.pk}/")
    assert response.status_code == 404
    assert response.get("Content-Type") != "application/pdf"


@pytest.mark.django_db
def test_a_voided_letter_shows_as_void_with_its_replacement_never_as_a_download(client, consulted):
    case, ack, ack2 = consulted["case"], consulted["ack"], consulted["ack2"]
    page = client.get(f"/track/{case.number}/").content.decode()
    item = next(line for line in page.splitlines() if ack.number in line and "<li" in line)
    assert "已作废" in item
    assert ack2.number in item  # names its replacement
    assert f"/letters/{ack.pk}/" not in page
    assert f"/letters/{ack2.pk}/" in page
    response = client.get(f"/track/{case.number}/letters/{ack.pk}/")
    assert response.status_code == 404
    assert client.get(f"/track/{case.number}/letters/{ack2.pk}/")["Content-Type"] == (
        "application/pdf"
    )


@pytest.mark.django_db
def test_only_applicant_letters_are_mailed_to_the_applicant(consulted):
    """letters.services.letter_issue mails a letter only when its kind is addressed to the
    applicant: the 征求意见书 to the third party is never attached to the applicant's mail."""
    to_applicant = Notification.objects.filter(to=["liming@example.com"])
    keys = set(to_applicant.values_list("dedupe_key", flat=True))
    assert f"letter:{consulted['third'].pk}" not in keys
    assert not Notification.objects.filter(dedupe_key=f"letter:{consulted['third'].pk}").exists()
    for letter in ("ack", "notice", "ack2"):
        assert f"letter:{consulted[letter].pk}" in keys
    names = set(to_applicant.values_list("attachment_name", flat=True))
    assert f"{consulted['third'].number}.pdf" not in names


@pytest.mark.django_db
def test_verifying_a_letter_to_a_third_party_shows_it_is_genuine_without_applicant_data(
    client, consulted
):
    third = consulted["third"]
    page = client.post("/verify/", {"code": third.verification_code}).content.decode()
    assert "真实有效" in page
    assert third.number in page
    assert "征求意见书" in page
    assert "致：第三方" in page  # the kind of addressee, not a name
    case = consulted["case"]
    for personal in [
        case.applicant.name,
        case.applicant.id_number,
        case.applicant.phone,
        case.applicant.email,
        case.subject,
        case.number,
        "济南某某物业公司",
    ]:
        assert personal not in page


@pytest.mark.django_db
def test_verifying_a_voided_letter_says_void_and_names_its_replacement(client, consulted):
    ack, ack2 = consulted["ack"], consulted["ack2"]
    page = client.post("/verify/", {"code": ack.verification_code}).content.decode()
    assert "已作废" in page
    assert "真实有效" not in page
    assert f"已由 {ack2.number} 替代" in page
    fresh = client.post("/verify/", {"code": ack2.verification_code}).content.decode()
    assert "真实有效" in fresh
    assert f"替代 {ack.number}" in fresh
