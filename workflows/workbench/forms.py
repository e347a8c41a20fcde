"""The staff pages' action forms: the transition's own input form (declared once in the
transition table) plus its effective date."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.lifecycle import TRANSITIONS
from casework.lifecycle.inputs import day, json_safe
from casework.models import Case


def transition_form(
    name: str, case: Case, data: Any = None, *, today: date | None = None
) -> forms.Form:
    """A form for transition `name` on `case`: the effective date first, then its fields."""
    spec = TRANSITIONS[name]
    form_class: Any = type(
        f"{spec.form.__name__}Page", (spec.form,), {"on": day(_("Effective date"))}
    )
    form: forms.Form = form_class(data, case=case, initial={"on": today})
    form.order_fields(["on"])
    return form


def cleaned_fields(form: forms.Form) -> dict[str, Any]:
    """The form's data as the JSON-safe fields the lifecycle takes (without the date)."""
    return json_safe(form.cleaned_data)
