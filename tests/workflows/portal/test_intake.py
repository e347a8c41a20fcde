"""The registrar's intake form for the other channels, and import_mail."""

import os
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

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


def _eml(tmp_path, name, message_id, attachment=None, date="Mon, 16 Nov 2026 09:30:00 +0800"):
    message = EmailMessage()
    message["From"] = "赵六 <zhaoliu@example.com>"
    message["To"] = "gongkai@example.gov.cn"
    message["Subject"] = "申请公开2025年退役军人安置文件"
    message["Date"] = date
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
            "on": timezone.localdate(case.arrived_at).isoformat(),
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
    # Such a date is now refused first as an arrival in a closed year (still a form error).
    assert "到达日期 2003-06-02 属于已结年度" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_intake_refuses_an_arrival_in_a_closed_year(client, users, organ):
    client.force_login(users["registrar"])
    response = client.post(
        "/work/intake/", _intake(arrived_at="2019-11-20T10:00", signed_on="2019-11-21")
    )
    assert response.status_code == 400
    assert "属于已结年度" in response.content.decode()
    assert Case.objects.count() == 0


def _crlf_eml(path):
    # "赵\r\n六" as an encoded word: legal on the wire, refused by the address parser.
    path.write_bytes(
        b"From: =?utf-8?b?6LW1DQrlha0=?= <a@example.com>\r\nTo: gongkai@example.gov.cn\r\n"
        b"Subject: test\r\nMessage-ID: <crlf@example.com>\r\n\r\nbody\r\n"
    )


@pytest.mark.django_db
def test_a_malformed_message_is_quarantined_and_the_import_goes_on(
    tmp_path, organ, users, settings
):
    settings.DATA_DIR = tmp_path / "data"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _crlf_eml(inbox / "a.eml")
    _eml(inbox, "b.eml", "<b1@example.com>")
    out, err = StringIO(), StringIO()
    call_command("import_mail", "--dir", str(inbox), stdout=out, stderr=err)
    assert "新导入 1 封" in out.getvalue()
    assert "隔离 1 封" in out.getvalue()
    assert Case.objects.get().source_message_id == "<b1@example.com>"
    assert not (inbox / "a.eml").exists()  # moved into quarantine
    quarantine = tmp_path / "data" / "mail-quarantine"
    (reason,) = quarantine.glob("*.reason.txt")
    assert "a.eml" in reason.read_text(encoding="utf-8")
    assert "CR or LF" in reason.read_text(encoding="utf-8")
    assert len(list(quarantine.glob("*.eml"))) == 1
    assert "已隔离 a.eml" in err.getvalue()
    # Put back by hand, it is recognised and not tried again.
    _crlf_eml(inbox / "a.eml")
    out = StringIO()
    call_command("import_mail", "--dir", str(inbox), stdout=out, stderr=StringIO())
    assert "跳过 2 封，隔离 0 封" in out.getvalue()


@pytest.mark.django_db
def test_the_arrival_is_when_the_server_got_the_file_not_the_senders_date(
    tmp_path, organ, users, settings
):
    settings.DATA_DIR = tmp_path / "data"
    _eml(tmp_path, "a.eml", "<d1@example.com>", date="Mon, 11 Mar 2019 09:30:00 +0800")
    received = datetime.now(tz=UTC).replace(microsecond=0) - timedelta(days=2)
    os.utime(tmp_path / "a.eml", (received.timestamp(), received.timestamp()))
    call_command("import_mail", "--dir", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    case = Case.objects.get()
    assert case.arrived_at == received
    assert case.year == received.astimezone(timezone.get_current_timezone()).year
    assert case.number.startswith(f"{case.year}-")


@pytest.mark.django_db
def test_a_file_received_in_a_closed_year_is_quarantined(tmp_path, organ, users, settings):
    settings.DATA_DIR = tmp_path / "data"
    _eml(tmp_path, "old.eml", "<o1@example.com>")
    old = datetime(2019, 3, 11, 1, 30, tzinfo=UTC).timestamp()
    os.utime(tmp_path / "old.eml", (old, old))
    err = StringIO()
    call_command("import_mail", "--dir", str(tmp_path), stdout=StringIO(), stderr=err)
    assert Case.objects.count() == 0
    assert "属于已结年度" in err.getvalue()


def test_imap_internaldate_is_the_servers_receipt_time():
    from workflows.management.commands.import_mail import internaldate

    line = b'7 (UID 42 INTERNALDATE " 7-Mar-2026 09:30:05 +0800" RFC822 {2048}'
    assert internaldate(line) == datetime(2026, 3, 7, 1, 30, 5, tzinfo=UTC)
    assert internaldate(b"7 (UID 42 RFC822 {2048}") is None
