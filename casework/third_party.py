"""Chinese names, in the admin and everywhere Django names them, for the apps and models of the
packages the project installs (django-axes, django-otp, django-tasks-db, viewflow): their own
catalogues have no zh-hans, and some names are not even marked for translation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import apps
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# app label -> its name; (app label, model name) -> (singular, plural)
APP_NAMES: dict[str, StrOrPromise] = {
    "axes": _("Log-in lock-out"),
    "otp_totp": _("Authenticator apps"),
    "otp_static": _("Recovery codes"),
    "django_tasks_database": _("Background jobs"),
    "viewflow": _("Flow engine"),
}
MODEL_NAMES: dict[tuple[str, str], tuple[StrOrPromise, StrOrPromise]] = {
    ("axes", "accessattempt"): (_("failed log-in record"), _("failed log-in records")),
    ("axes", "accesslog"): (_("log-in record"), _("log-in records")),
    ("axes", "accessfailurelog"): (_("failed log-in entry"), _("failed log-in entries")),
    ("axes", "accessattemptexpiration"): (
        _("lock-out expiry"),
        _("lock-out expiries"),
    ),
    ("otp_totp", "totpdevice"): (_("authenticator app"), _("authenticator apps")),
    ("otp_static", "staticdevice"): (_("recovery code set"), _("recovery code sets")),
    ("otp_static", "statictoken"): (_("recovery code"), _("recovery codes")),
    ("django_tasks_database", "dbtaskresult"): (_("background job"), _("background jobs")),
    ("viewflow", "process"): (_("flow process"), _("flow processes")),
    ("viewflow", "task"): (_("flow task"), _("flow tasks")),
}


def name_third_party_apps() -> None:
    """Give the installed packages' apps and models their Chinese names (at app loading)."""
    for label, name in APP_NAMES.items():
        try:
            apps.get_app_config(label).verbose_name = name
        except LookupError:
            continue  # not installed in this configuration
    for (label, model_name), (singular, plural) in MODEL_NAMES.items():
        try:
            meta = apps.get_model(label, model_name)._meta
        except LookupError:
            continue
        meta.verbose_name, meta.verbose_name_plural = singular, plural
