"""Issue 22: the security log had no line for a second-factor success or failure nor for an
ID reveal, and wrote "login" at the password step for users who still owed the second factor.
And with an unknown caller address (the trusted header missing) the limits must not key every
such caller together."""

import logging

from django.test import Client

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.choices import Role

OTP_GROUPS = [Role.REGISTRAR, Role.REVIEWER, Role.OFFICE_HEAD, Role.SUPERVISOR, Role.LIAISON]


@pytest.fixture
def otp_on(settings):
    settings.OTP_REQUIRED_GROUPS = OTP_GROUPS
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "casework.security"]


@pytest.mark.django_db
def test_login_is_logged_after_the_second_factor_with_its_failures(otp_on, users, caplog):
    device = TOTPDevice.objects.create(user=users["reviewer"], name="phone", confirmed=True)
    client = Client()
    with caplog.at_level(logging.INFO, logger="casework.security"):
        client.post("/login/", {"username": "reviewer", "password": "pw-reviewer"})
        after_password = _lines(caplog)
        client.post("/account/otp/verify/", {"token": "000000"})
        code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
        assert client.post("/account/otp/verify/", {"token": code}).status_code == 302
    lines = _lines(caplog)
    assert not any(line.startswith("login user=reviewer") for line in after_password)
    assert any(line.startswith("password ok user=reviewer") for line in after_password)
    assert any(line.startswith("second factor failed user=reviewer") for line in lines)
    assert any(
        line.startswith("second factor ok user=reviewer device=TOTPDevice") for line in lines
    )
    logins = [line for line in lines if line.startswith("login user=reviewer")]
    assert len(logins) == 1
    assert lines.index(logins[0]) > max(
        i for i, line in enumerate(lines) if line.startswith("second factor failed")
    )


@pytest.mark.django_db
def test_login_without_second_factor_is_logged_at_the_password(settings, users, caplog):
    settings.OTP_REQUIRED_GROUPS = []
    with caplog.at_level(logging.INFO, logger="casework.security"):
        Client().post("/login/", {"username": "reviewer", "password": "pw-reviewer"})
    assert any(line.startswith("login user=reviewer") for line in _lines(caplog))


@pytest.mark.django_db
def test_an_id_number_reveal_is_in_the_security_log(receive_flow, users, client, caplog):
    from datetime import date

    case = receive_flow(arrived=date(2026, 3, 2))
    client.force_login(users["registrar"])
    with caplog.at_level(logging.INFO, logger="casework.security"):
        response = client.post(f"/cases/{case.number}/id-number/")
    assert response.status_code == 200
    assert f"id number revealed user=registrar case={case.number} whose=applicant" in "\n".join(
        _lines(caplog)
    )


# --- an unknown caller address ------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_addresses_are_refused_each_alone_never_counted_together(users, settings):
    """Behind the proxy, a request without the trusted header (it came round the proxy, or
    the proxy does not set it) has no address. It used to fall back to REMOTE_ADDR, the
    proxy's own address for everyone: one key for the whole public. Now such a request is
    refused by itself, and the callers with an address are untouched by it."""
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"
    proxy = "10.9.9.9"
    stranger = Client()
    for _ in range(8):
        response = stranger.post(
            "/login/", {"username": "registrar", "password": "pw-registrar"}, REMOTE_ADDR=proxy
        )
        assert "_auth_user_id" not in stranger.session  # no log-in without an address
    officer = Client()
    response = officer.post(
        "/login/",
        {"username": "registrar", "password": "pw-registrar"},
        REMOTE_ADDR=proxy,
        HTTP_X_REAL_IP="10.0.0.1",
    )
    assert response.status_code == 302
    # Tracking and applying without an address: refused, not counted under a shared key.
    nobody = Client()
    look_up = {"number": "2026-0001", "code": "ABCD-EFGH"}
    assert nobody.post("/track/", look_up, REMOTE_ADDR=proxy).status_code == 429
    assert nobody.post("/apply/", {}, REMOTE_ADDR=proxy).status_code == 429
    applicant = Client()
    response = applicant.post("/track/", look_up, REMOTE_ADDR=proxy, HTTP_X_REAL_IP="198.51.100.7")
    assert response.status_code == 400  # an ordinary "not correct"
    response = applicant.post("/apply/", {}, REMOTE_ADDR=proxy, HTTP_X_REAL_IP="198.51.100.7")
    assert response.status_code != 429


def test_a_header_that_is_no_address_is_unknown(rf, settings):
    from casework.portal import client_address

    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"
    assert client_address(rf.get("/", HTTP_X_REAL_IP="203.0.113.9")) == "203.0.113.9"
    assert client_address(rf.get("/", HTTP_X_REAL_IP="not-an-address")) == ""
    assert client_address(rf.get("/", HTTP_X_REAL_IP="")) == ""
    assert client_address(rf.get("/")) == ""  # no fallback to REMOTE_ADDR (the proxy)
