"""The registrar's intake form for the other channels, and import_mail."""

from email.message import EmailMessage
from io import StringIO

from django.core.management import call_command

import pytest

from casework.models import Attachment, Case, Event
from tests.conftest import VALID_RESIDENT_ID, real_pdf


def _intake(**overrides):
    data = {
        "channel": "registered_post",
        "arrived_at": "2026-11-20T10:00",
        "signed_on": "2026-11-21",
        "category": "natural_person",
        "name": "王五",
        "id_type": "resident_id",
        "id_number": VALID_RESIDENT_ID,
        "phone": "13800138000",
        "subject": "优抚对象名单",
        "provision_form": "paper",
        "delivery_method": "post",
        "submission_token": "intake-1",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_registrar_records_a_registered_letter_with_the_signature_date(client, users, organ):
    client.force_login(users["registrar"])
    response = client.post("/work/intake/", _intake())
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert (case.channel, str(case.received_on)) == ("registered_post", "2026-11-21")
    assert case.process.case == case  # the flow started


@pytest.mark.django_db
def test_agent_without_proofs_is_flagged_on_the_case_page(client, users, organ):
    client.force_login(users["registrar"])
    client.post(
        "/work/intake/",
        _intake(
            agent_name="郑律师",
            agent_id_type="resident_id",
            agent_id_number="11010519491231002X",
            agent_phone="13706400004",
        ),
    )
    case = Case.objects.get()
    page = client.get(case.get_absolute_url()).content.decode()
    assert "授权委托书" in page
    assert "补正" in page


@pytest.mark.django_db
def test_intake_errors_keep_input_and_liaisons_cannot_use_it(client, users, organ):
    client.force_login(users["registrar"])
    response = client.post("/work/intake/", _intake(signed_on="2026-11-19"))
    assert response.status_code == 400
    assert "签收日期不能早于到达日期" in response.content.decode()
    assert 'value="王五"' in response.content.decode()
    assert Case.objects.count() == 0
    client.force_login(users["liaison_a"])
    assert client.get("/work/intake/").status_code == 404


def _eml(tmp_path, name, message_id, attachment=None):
    message = EmailMessage()
    message["From"] = "赵六 <zhaoliu@example.com>"
    message["To"] = "gongkai@example.gov.cn"
    message["Subject"] = "申请公开2025年退役军人安置文件"
    message["Date"] = "Mon, 16 Nov 2026 09:30:00 +0800"
    if message_id:
        message["Message-ID"] = message_id
    message.set_content("您好，我申请公开以下信息：……")
    if attachment:
        message.add_attachment(
            attachment[1], maintype="application", subtype="octet-stream", filename=attachment[0]
        )
    (tmp_path / name).write_bytes(bytes(message))


@pytest.mark.django_db
def test_import_mail_never_imports_the_same_message_twice(tmp_path, organ, users):
    _eml(tmp_path, "a.eml", "<a1@example.com>", ("id.pdf", real_pdf()))
    _eml(tmp_path, "b.eml", None, ("virus.pdf", b"MZ exe"))
    out = StringIO()
    call_command("import_mail", "--dir", str(tmp_path), stdout=out, stderr=StringIO())
    assert "新导入 2 封" in out.getvalue()
    call_command("import_mail", "--dir", str(tmp_path), stdout=out, stderr=StringIO())
    assert "跳过 2 封" in out.getvalue()
    assert Case.objects.count() == 2
    case = Case.objects.get(source_message_id="<a1@example.com>")
    assert (case.channel, case.status, case.received_on) == ("email", "received", None)
    assert case.applicant.email == "zhaoliu@example.com"
    assert case.applicant.incomplete
    assert Attachment.objects.filter(case=case).count() == 1
    other = Case.objects.exclude(pk=case.pk).get()
    assert "未保存的附件" in other.description
    assert Event.objects.filter(case=other, kind="receive", actor_role="系统").exists()


def test_import_mail_needs_a_source():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("import_mail")


@pytest.mark.django_db
def test_office_completes_an_imported_applicant(client, tmp_path, organ, users):
    _eml(tmp_path, "a.eml", "<c1@example.com>")
    call_command("import_mail", "--dir", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    case = Case.objects.get()
    client.force_login(users["registrar"])
    assert "尚不完整" in client.get(case.get_absolute_url()).content.decode()
    url = f"/work/cases/{case.number}/act/update_applicant/"
    form = client.get(url).content.decode()
    assert 'value="zhaoliu@example.com"' in form
    response = client.post(
        url,
        {
            "on": case.arrived_at.date().isoformat(),
            "category": "natural_person",
            "name": "赵六",
            "id_type": "resident_id",
            "id_number": VALID_RESIDENT_ID,
            "phone": "13800138000",
            "email": "zhaoliu@example.com",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert not case.applicant.incomplete
    assert "尚不完整" not in client.get(case.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_an_arrival_outside_the_calendar_is_a_form_error_not_a_crash(client, users, organ):
    client.force_login(users["registrar"])
    response = client.post(
        "/work/intake/",
        _intake(arrived_at="2003-06-02T10:00", signed_on="2003-06-03", channel="registered_post"),
    )
    assert response.status_code == 400
    assert "日期 2003-06-03 超出工作日日历的范围" in response.content.decode()
    assert not Case.objects.exists()
