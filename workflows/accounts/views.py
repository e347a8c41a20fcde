"""Second factor pages (issue 16 point 1): enrolment of a TOTP app by QR code, verification
with a code from the app or a recovery code, and the recovery codes shown once."""

from __future__ import annotations

import secrets

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

import qrcode
import qrcode.image.svg
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.lifecycle.actors import Staff, staff_user
from casework.second_factor import second_factor_logged

RECOVERY_SESSION_KEY = "casework_recovery_codes"


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Verification code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _qr_svg(uri: str) -> str:
    """The provisioning URI as an inline SVG, drawn on the server (no external service)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg: str = image.to_string(encoding="unicode")
    return svg


@never_cache
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrolment: a new unconfirmed TOTP device with its QR code; confirmed by a first code,
    then recovery codes are generated and shown once."""
    user = staff_user(request)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists() and not user.is_verified():  # type: ignore[attr-defined]
        # Replacing a device needs the old one first: otherwise a stolen password suffices.
        return HttpResponseRedirect(reverse("accounts:otp-verify") + "?next=" + _next(request))
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "TOTP"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user, confirmed=True).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
            otp_login(request, device)
            second_factor_logged(request, user, ok=True, device=device)
            request.session[RECOVERY_SESSION_KEY] = codes
            return HttpResponseRedirect(
                reverse("accounts:otp-recovery") + "?next=" + _next(request)
            )
        second_factor_logged(request, user, ok=False)
        form.add_error("token", _("The code is not correct. Check the time on the phone."))
    return render(
        request,
        "registration/otp_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # drawn here by qrcode, no user input
            "secret": _base32(device.bin_key),
            "next": _next(request),
        },
    )


def _base32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


def _new_recovery_codes(user: Staff) -> list[str]:
    """Replaces the user's recovery codes (django-otp static tokens: each works once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery")
    codes = [secrets.token_hex(5) for _i in range(settings.OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@never_cache
@login_required
def otp_recovery(request: HttpRequest) -> HttpResponse:
    """The recovery codes just generated, shown this once (then gone from the session)."""
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    if not codes:
        return HttpResponseRedirect(_next(request))
    return render(
        request, "registration/otp_recovery.html", {"codes": codes, "next": _next(request)}
    )


@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of the log-in: a code from the app or one recovery code."""
    if not any(devices_for_user(request.user)):
        return HttpResponseRedirect(reverse("accounts:otp-setup") + "?next=" + _next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            second_factor_logged(request, request.user, ok=True, device=device)
            return HttpResponseRedirect(_next(request))
        second_factor_logged(request, request.user, ok=False)
        form.add_error("token", _("The code is not correct."))
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next(request)})


def locked_out(
    request: HttpRequest, original_response: object, credentials: object
) -> HttpResponse:
    """django-axes' lock-out answer (AXES_LOCKOUT_CALLABLE): a Chinese page, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
