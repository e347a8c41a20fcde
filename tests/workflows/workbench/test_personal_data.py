"""Issue 16 point 2: personal data on a need-to-know basis. Every list, tab, export and API
answer, for every role: nothing of another division, no full ID number anywhere (it is shown
only through the recorded reveal, to the roles that register and review), phone and e-mail
only for the office and the case's divisions."""

import io

from django.test import Client

import openpyxl
import pytest

from casework.models import Applicant
from tests.conftest import VALID_RESIDENT_ID, VALID_RESIDENT_ID_2, person
from workflows.api.tokens import ApiToken
from workflows.models import IdNumberReveal
from workflows.selectors import TABS

ROLES = ("registrar", "reviewer", "head", "supervisor", "admin", "liaison_a", "liaison_b", "nobody")
A = {
    "name": "甲某申请人",
    "id": VALID_RESIDENT_ID,
    "phone": "13911112222",
    "email": "jia@example.com",
    "phone2": "13911113333",
}
B = {
    "name": "乙某申请人",
    "id": VALID_RESIDENT_ID_2,
    "phone": "13933334444",
    "email": "yi@example.com",
    "phone2": "13933335555",
}


@pytest.fixture
def two_cases(receive_flow, act, divisions):
    made = {}
    for key, data, division in (("a", A, "a"), ("b", B, "b")):
        case = receive_flow(
            applicant=person(
                name=data["name"], id_number=data["id"], phone=data["phone"], email=data["email"]
            )
        )
        act(case, "register", "registrar")
        act(case, "assign", "reviewer", lead_division_id=divisions[division].pk)
        # A correction of the contact details leaves an event in the history (old and new).
        act(case, "update_applicant", "registrar", phone=data["phone2"])
        act(case, "update_applicant", "registrar", phone=data["phone"])
        made[key] = case
    return made


def _text(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return response.content.decode("utf-8-sig")


def _pages(client, api, cases):
    paths = ["/cases/", "/supervision/", "/supervision/?format=csv", "/supervision/?format=xlsx"]
    paths += [f"/work/?tab={tab}" for tab in TABS]
    for case in cases.values():
        paths += [f"/cases/{case.number}/", f"/work/cases/{case.number}/act/update_applicant/"]
    for path in paths:
        yield path, client.get(path)
    api_paths = ["/api/v1/cases/", "/api/v1/tasks/"]
    api_paths += [f"/api/v1/cases/{case.number}/" for case in cases.values()]
    for path in api_paths:
        yield path, api.get(path)


@pytest.mark.django_db
def test_every_page_for_every_role_shows_only_what_the_role_needs(two_cases, users):
    seen_full_contact = set()
    for who in ROLES:
        client = Client()
        client.force_login(users[who])
        from rest_framework.test import APIClient

        api = APIClient()
        _token, raw = ApiToken.issue(users[who], name="walk", scope="read", days=1)
        api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        for path, response in _pages(client, api, two_cases):
            if response.status_code != 200:
                assert response.status_code in (302, 403, 404), (who, path)
                continue
            text = _text(response)
            for data in (A, B):
                assert data["id"] not in text, (who, path, "full ID number")
            if who == "liaison_a":
                assert B["name"] not in text, (who, path)
            if who == "liaison_b":
                assert A["name"] not in text, (who, path)
            for key, data in (("a", A), ("b", B)):
                may = who in ("registrar", "reviewer", "head") or who == f"liaison_{key}"
                if data["phone"] in text or data["phone2"] in text or data["email"] in text:
                    assert may, (who, path, "contact details")
                    seen_full_contact.add((who, key))
    # The test sees what it guards: the office and each case's own division see contacts.
    assert {("registrar", "a"), ("head", "b"), ("liaison_a", "a"), ("liaison_b", "b")} <= (
        seen_full_contact
    )


@pytest.mark.django_db
def test_supervisor_sees_case_page_with_masked_contact_details(two_cases, users):
    client = Client()
    client.force_login(users["supervisor"])
    page = client.get(f"/cases/{two_cases['a'].number}/").content.decode()
    assert A["name"] in page
    assert "139****2222" in page
    assert "j***@example.com" in page
    assert "显示完整证件号码" not in page


@pytest.mark.django_db
def test_full_id_number_is_shown_only_through_a_recorded_reveal(two_cases, users):
    number = two_cases["a"].number
    for who in ("supervisor", "liaison_a", "admin"):
        client = Client()
        client.force_login(users[who])
        assert client.post(f"/cases/{number}/id-number/").status_code in (403, 404), who
    assert not IdNumberReveal.objects.exists()
    client = Client()
    client.force_login(users["reviewer"])
    page = client.get(f"/cases/{number}/").content.decode()
    assert "显示完整证件号码" in page
    assert A["id"] not in page
    assert client.get(f"/cases/{number}/id-number/").status_code == 405  # a GET reveals nothing
    response = client.post(f"/cases/{number}/id-number/")
    assert response.status_code == 200
    assert A["id"] in response.content.decode()
    reveal = IdNumberReveal.objects.get()
    assert (reveal.user, reveal.case, reveal.whose) == (
        users["reviewer"],
        two_cases["a"],
        "applicant",
    )
    page = client.get(f"/cases/{number}/").content.decode()
    assert "谁查看过完整证件号码" in page
    assert A["id"] not in page


@pytest.mark.django_db
def test_update_applicant_form_masks_the_id_number_and_keeps_it_when_sent_back(two_cases, users):
    number = two_cases["a"].number
    client = Client()
    client.force_login(users["registrar"])
    form = client.get(f"/work/cases/{number}/act/update_applicant/")
    html = form.content.decode()
    assert form.status_code == 200
    assert A["id"] not in html
    assert "3701**********1237" in html
    response = client.post(
        f"/work/cases/{number}/act/update_applicant/",
        {
            "on": "2026-03-16",
            "category": "natural_person",
            "name": A["name"],
            "id_type": "resident_id",
            "id_number": "3701**********1237",
            "phone": "13955556666",
            "email": A["email"],
            "address": "济南市历下区某路1号",
            "postal_code": "250000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    applicant = Applicant.objects.get(pk=two_cases["a"].applicant_id)
    assert applicant.id_number == A["id"]
    assert applicant.phone == "13955556666"
