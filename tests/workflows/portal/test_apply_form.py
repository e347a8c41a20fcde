"""The online application form (issue 14 point 9): every error at once next to its field,
required fields marked, the chosen files kept on the server after an error, agent fields with
the power of attorney, and the site title leading to the public guide."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from casework.models import Attachment, Case
from tests.conftest import VALID_RESIDENT_ID, VALID_RESIDENT_ID_2, real_pdf
from tests.workflows.portal.test_portal import _form, _png


def _pdf(name: str = "poa.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, real_pdf(), content_type="application/pdf")


def _errors_of(page: str, field: str) -> list[str]:
    block = re.search(rf'<ul class="errorlist" id="id_{field}-errors">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


@pytest.mark.django_db
def test_every_error_at_once_next_to_its_field_and_email_only_once(client, organ, users):
    response = client.post(
        "/apply/",
        _form(
            subject="",  # a form error
            id_number="370102198001011238",  # a model error (check digit)
            phone="123",  # a model error
            email="not-an-address",  # a model error, shown once
            postal_code="12",
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert _errors_of(page, "subject")
    assert any("校验位" in e for e in _errors_of(page, "id_number"))
    assert _errors_of(page, "phone")
    assert len(_errors_of(page, "email")) == 1
    assert _errors_of(page, "postal_code")
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_required_fields_are_marked(client, organ):
    page = client.get("/apply/").content.decode()
    for field in ("name", "phone", "subject", "id_proof"):
        label = re.search(rf'<label for="id_{field}">(.*?)</label>', page, re.S).group(1)
        assert "（必填）" in label, field
    label = re.search(r'<label for="id_description">(.*?)</label>', page, re.S).group(1)
    assert "（必填）" not in label


@pytest.mark.django_db
def test_the_chosen_file_is_kept_after_an_error_and_used_on_the_next_attempt(client, organ):
    response = client.post("/apply/", _form(phone="123"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "已选择：id.png（保留）" in page
    assert Attachment.objects.count() == 0
    data = _form()
    del data["id_proof"]  # the browser sends no file the second time
    response = client.post("/apply/", data)
    assert response.status_code == 302
    case = Case.objects.get()
    attachment = case.attachments.get()
    assert (attachment.kind, attachment.original_name) == ("applicant_id", "id.png")
    assert attachment.file.read() == _png()
    assert client.session["portal_pending_files"] == {}


@pytest.mark.django_db
def test_a_kept_file_can_be_removed_and_a_refused_file_is_not_kept(client, organ):
    client.post("/apply/", _form(phone="123"))
    data = _form()
    del data["id_proof"]
    data["replace"] = "id_proof"
    response = client.post("/apply/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "已选择" not in page
    assert _errors_of(page, "id_proof")
    disguised = SimpleUploadedFile("id.pdf", b"MZ\x90\x00 exe", content_type="application/pdf")
    response = client.post("/apply/", _form(id_proof=disguised))
    assert response.status_code == 400
    assert "已选择" not in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_an_agent_applies_with_the_power_of_attorney_and_identity_proof(client, organ):
    agent = {
        "agent_name": "郑律师",
        "agent_id_type": "resident_id",
        "agent_id_number": VALID_RESIDENT_ID_2,
        "agent_organisation": "山东某某律师事务所",
        "agent_phone": "13706400004",
    }
    response = client.post("/apply/", _form(**agent))
    assert response.status_code == 400
    page = response.content.decode()
    assert _errors_of(page, "power_of_attorney")
    assert _errors_of(page, "agent_id_proof")
    response = client.post(
        "/apply/",
        _form(
            **agent,
            power_of_attorney=_pdf(),
            agent_id_proof=SimpleUploadedFile("agent.png", _png(), content_type="image/png"),
        ),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.agent.name == "郑律师"
    assert case.agent.id_number == VALID_RESIDENT_ID_2
    assert sorted(case.attachments.values_list("kind", flat=True)) == [
        "agent_id",
        "applicant_id",
        "power_of_attorney",
    ]
    assert case.applicant.id_number == VALID_RESIDENT_ID


@pytest.mark.django_db
def test_the_site_title_leads_to_the_public_guide(client, organ):
    for url in ("/apply/", "/track/", "/verify/", "/guide/"):
        page = client.get(url).content.decode()
        assert '<a class="brand" href="/guide/">' in page, url
