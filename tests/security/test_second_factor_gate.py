"""Issue 22, finding 1: the second factor was bypassed through the API. A user of an
OTP-required group who typed only the password was kept off the staff pages and /admin/, but
the same session cookie read GET /api/v1/cases/, every case, a letter's PDF, and as the
supervisor fired POST /api/v1/cases/<number>/transitions/urge/ (200, an event written).

Now a password-only session is anonymous on every route but the log-in's own: the attack is
repeated on the API, and then on every URL pattern of the project (sample arguments filled in
from real objects), GET and POST without a CSRF token, for each role of the default
OTP_REQUIRED_GROUPS: no answer carries case data and no event is written."""

import re

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework import settings as project_settings
from casework.models import CaseNote, Event
from letters.models import Letter
from tests.conftest import person
from tests.test_url_access import case_of_division_a  # noqa: F401 - the fixture, reused

# Every role the project's default OTP_REQUIRED_GROUPS names (the production default), by the
# test user of that role (tests/conftest.py: users).
OTP_USERS = ("registrar", "reviewer", "head", "supervisor", "admin", "liaison_a")
SECRET_NAME = "欧阳秘密"
SECRET_PHONE = "13912345678"


@pytest.fixture
def otp_production_groups(settings):
    settings.OTP_REQUIRED_GROUPS = list(project_settings.OTP_REQUIRED_GROUPS)
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_the_default_groups_cover_every_office_role_and_the_liaison_officers():
    from casework.choices import Role

    assert set(project_settings.OTP_REQUIRED_GROUPS) == {
        Role.REGISTRAR,
        Role.REVIEWER,
        Role.OFFICE_HEAD,
        Role.SUPERVISOR,
        Role.ADMINISTRATOR,
        Role.LIAISON,
    }


def _password_only(username: str) -> Client:
    """A real log-in with the password alone: the attacker who has the password."""
    client = Client()
    response = client.post("/login/", {"username": username, "password": f"pw-{username}"})
    assert response.status_code == 302, response.content
    assert "_auth_user_id" in client.session
    return client


def _verified(client: Client, user) -> None:
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post("/account/otp/verify/", {"token": code}).status_code == 302


@pytest.fixture
def secret_case(receive_flow, act, divisions):
    from datetime import date

    case = receive_flow(
        arrived=date(2026, 3, 2), applicant=person(name=SECRET_NAME, phone=SECRET_PHONE)
    )
    act(case, "register", "registrar")
    act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    return case


@pytest.mark.django_db
def test_a_password_only_session_reads_and_writes_nothing_through_the_api(
    otp_production_groups, users, secret_case
):
    from letters.services import letter_issue
    from tests.conftest import NOW

    letter = letter_issue(
        number=secret_case.number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )
    attacker = _password_only("supervisor")
    events = Event.objects.count()
    reads = (
        "/api/v1/cases/",
        f"/api/v1/cases/{secret_case.number}/",
        f"/api/v1/letters/{letter.pk}/pdf/",
        "/api/v1/tasks/",
        "/api/v1/schema/",
    )
    for path in reads:
        response = attacker.get(path)
        assert response.status_code in (401, 403), path
        assert secret_case.number not in response.content.decode(errors="replace"), path
    urge = f"/api/v1/cases/{secret_case.number}/transitions/urge/"
    response = attacker.post(urge, {"message": "请加快办理"}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert Event.objects.count() == events
    # The same session after the second factor does read and urge: the refusals above are the
    # second factor's, not a wrong URL or a missing right.
    _verified(attacker, users["supervisor"])
    assert attacker.get("/api/v1/cases/").json()["results"][0]["number"] == secret_case.number
    response = attacker.post(urge, {"message": "请加快办理"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert Event.objects.count() == events + 1


@pytest.mark.django_db
def test_an_api_token_still_works_for_a_user_of_an_otp_group(otp_production_groups, users):
    from rest_framework.test import APIClient

    from workflows.api.tokens import ApiToken

    _token, raw = ApiToken.issue(users["registrar"], name="system", scope="read", days=5)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.get("/api/v1/cases/").status_code == 200


# --- every route ------------------------------------------------------------------------


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _sample(name: str, values: dict[str, str]) -> str:
    return values.get(name, values["pk"])


def _typed_sample(converter: str | None, name: str, values: dict[str, str]) -> str:
    """A sample that the route's converter accepts: an `<int:number>` (a guide version) takes
    the numeric sample, not a case number."""
    sample = _sample(name, values)
    if converter == "int:" and not sample.isdigit():
        return values["pk"]
    return sample


def _url(route: str, values: dict[str, str]) -> str:
    """The route with every parameter replaced by a sample value of an existing object."""
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: _sample(m.group(1), values), route)
    path = re.sub(r"<(\w+:)?(\w+)>", lambda m: _typed_sample(m.group(1), m.group(2), values), path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    return "/" + path


@pytest.mark.django_db
@pytest.mark.parametrize("who", OTP_USERS)
def test_every_route_gives_a_password_only_session_no_case_data_and_no_write(
    otp_production_groups,
    users,
    case_of_division_a,  # noqa: F811 - the fixture imported above
    who,
):
    case = case_of_division_a
    applicant = case.applicant
    applicant.name, applicant.phone = SECRET_NAME, SECRET_PHONE
    applicant.save(update_fields=["name", "phone"])
    values = {
        "number": case.number,
        "pk": str(case.letter.pk),
        "object_id": str(case.pk),
        "app_label": "casework",
        "content_type_id": "1",
        "name": "urge",
        "kind": "acknowledgement",
        "sid": str(case.release_set.pk),
        "fid": str(case.released.pk),
        "rid": str(case.redaction.pk),
        "page": "1",
        "url": "",
        "format": "json",
        "key": "x",
        "token": "x",
        "uidb64": "x",
        "path": "x",
    }
    routes = sorted(set(_patterns()))
    urls = []
    for route in routes:
        url = _url(route, values)
        try:
            resolve(url)
        except Resolver404:
            pytest.fail(f"no sample URL for {route!r} ({url})")
        urls.append(url)
    assert len(urls) > 100  # the admin's and the project's own
    client = _password_only(who)
    events, notes, letters = Event.objects.count(), CaseNote.objects.count(), Letter.objects.count()
    leaks = []
    for url in urls:
        if url.startswith(("/logout/", "/account/otp/")):
            continue  # the log-in's own pages
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            body = b"".join(response) if response.streaming else response.content
            text = body.decode(errors="replace")
            if response.status_code == 200 and (
                SECRET_NAME in text or SECRET_PHONE in text or case.number in text
            ):
                leaks.append((method, url))
    assert leaks == []
    assert (Event.objects.count(), CaseNote.objects.count(), Letter.objects.count()) == (
        events,
        notes,
        letters,
    )
    # The session is still the password-only one (no route logged it out or verified it).
    assert "_auth_user_id" in client.session
