"""One form per transition: what an officer fills in to act on a case. Forms validate the
shape of the input only; the lifecycle validates the meaning and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from casework.choices import (
    ApplicantCategory,
    ConsultationParty,
    DeliveryMethod,
    Disposition,
    IdType,
    RemedyKind,
    RemedyOutcome,
    Role,
)
from casework.choices import Transition as T
from casework.models import Case, Division
from casework.permissions import division_members


def _text(
    label: Any, required: bool = True, area: bool = False, max_length: int = 2000
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 3}) if area else forms.TextInput()
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget)


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


def _choice(label: Any, choices: Any, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", "—"), *choices], required=required)


OPINIONS = [
    ("agree", _("Agrees to disclosure")),
    ("object", _("Objects to disclosure")),
    ("no_answer", _("No answer within the time limit")),
    ("other", _("Other")),
]
FEE_METHODS = [("per_piece", _("Per piece")), ("per_page", _("Per page"))]


def _fields(name: str, case: Case) -> dict[str, forms.Field]:
    divisions = Division.objects.filter(organ_id=case.organ_id, is_active=True)
    other_divisions = (
        divisions.exclude(pk=case.lead_division_id) if case.lead_division_id else divisions
    )
    disposition = {
        "disposition": _choice(_("Disposition"), Disposition.choices),
        "basis": _text(_("Legal basis"), max_length=200),
        "reasons": _text(_("Reasons"), required=False, area=True),
    }
    specs: dict[str, dict[str, forms.Field]] = {
        T.CONFIRM_RECEIPT: {
            "method": _text(_("How receipt was confirmed"), required=False, max_length=200)
        },
        T.REGISTER: {"note": _text(_("Note"), required=False, area=True)},
        T.REQUEST_CORRECTION: {
            "items": _text(_("Items to correct"), area=True),
            "deadline_on": _date(_("Correction deadline")),
        },
        T.RECEIVE_CORRECTION: {"note": _text(_("Note"), required=False, area=True)},
        T.ASSIGN: {
            "lead_division_id": forms.ModelChoiceField(
                label=_("Lead division"), queryset=divisions
            ),
            "co_division_ids": forms.ModelMultipleChoiceField(
                label=_("Co-divisions"),
                queryset=divisions,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            ),
            "division_due_on": forms.DateField(
                label=_("Internal due date for the divisions"),
                required=False,
                widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
                help_text=_("Leave empty for 5 working days before the reply due date."),
            ),
        },
        T.CLAIM: {},
        T.GIVE_OPINION: {"opinion": _text(_("Opinion"), area=True)},
        T.OPEN_CONSULTATION: {
            "party": _choice(_("Consulted party"), ConsultationParty.choices),
            "party_name": _text(_("Name of the consulted party"), max_length=200),
            "matter": _text(_("Matter"), required=False, area=True),
        },
        # Choices as a callable: the events are read only when this form is the one shown.
        T.CLOSE_CONSULTATION: {
            "consultation_id": forms.ChoiceField(
                label=_("Consultation"), choices=lambda: [("", "—"), *_open_consultations(case)]
            ),
            "opinion": _choice(_("Opinion"), OPINIONS),
            "summary": _text(_("Summary"), required=False, area=True),
        },
        T.REQUEST_EXTENSION: {
            "days": forms.IntegerField(label=_("Working days"), min_value=1, max_value=20),
            "reason": _text(_("Reason"), area=True),
        },
        T.EXTEND: {
            "days": forms.IntegerField(label=_("Working days"), min_value=1, max_value=20),
            "reason": _text(_("Reason"), area=True),
        },
        T.NOTIFY_FEE: {
            "method": _choice(_("Charging method"), FEE_METHODS),
            "quantity": forms.IntegerField(label=_("Pieces or pages"), min_value=1),
            "amount": forms.DecimalField(
                label=_("Amount (yuan)"),
                required=False,
                min_value=0,
                decimal_places=2,
                help_text=_("Leave empty to compute it under 国办函〔2020〕109号."),
            ),
            "notice_received_on": _date(_("Notice received on"), required=False),
        },
        T.RECEIVE_FEE: {
            "amount": forms.DecimalField(
                label=_("Amount paid (yuan)"), min_value=0, decimal_places=2
            ),
            "receipt_number": _text(_("Receipt number"), required=False, max_length=100),
        },
        T.PROPOSE: {
            **disposition,
            "withheld": _text(_("Withheld and why"), required=False, area=True),
            "searched": _text(_("Where searched"), required=False, area=True),
            "found": _text(_("What was found"), required=False, area=True),
            "files": _text(_("Files to provide"), required=False, area=True),
        },
        T.RETURN_FOR_REVISION: {"reason": _text(_("Reason"), area=True)},
        T.CHECK: {"comment": _text(_("Comment"), required=False, area=True)},
        T.APPROVE: {"comment": _text(_("Comment"), required=False, area=True)},
        T.ISSUE_REPLY: {},
        T.REPLY_ON_THE_SPOT: dict(disposition),
        T.RECORD_DELIVERY: {
            "method": _choice(_("Delivery method"), DeliveryMethod.choices),
            "tracking_number": _text(_("Tracking number"), required=False, max_length=100),
        },
        T.ARCHIVE: {"note": _text(_("Note"), required=False, area=True)},
        T.WITHDRAW: {"reason": _text(_("Reason"), required=False, area=True)},
        T.ABANDON: {"reason": _text(_("Reason"), required=False, area=True)},
        T.URGE: {"message": _text(_("Message"), area=True)},
        T.RECORD_REMEDY: {
            "remedy": _choice(_("Remedy"), RemedyKind.choices),
            "outcome": _choice(_("Outcome"), RemedyOutcome.choices),
            "filed_on": _date(_("Filed on")),
            "decided_on": _date(_("Decided on"), required=False),
            "body": _text(_("Body"), required=False, max_length=200),
        },
        T.RELEASE: {"reason": _text(_("Reason"), required=False, area=True)},
        T.REASSIGN: {
            "assignee_id": forms.ModelChoiceField(
                label=_("Assignee"), queryset=_division_officers(case)
            ),
            "reason": _text(_("Reason"), required=False, area=True),
        },
        T.UPDATE_APPLICANT: {
            "category": _choice(_("Applicant category"), ApplicantCategory.choices),
            "name": _text(_("Name"), max_length=200),
            "id_type": _choice(_("ID type"), IdType.choices, required=False),
            "id_number": _text(_("ID number"), required=False, max_length=40),
            "credit_code": _text(_("Unified social credit code"), required=False, max_length=18),
            "contact_person": _text(_("Contact person"), required=False, max_length=100),
            "phone": _text(_("Phone"), max_length=40),
            "email": _text(_("E-mail"), required=False, max_length=254),
            "address": _text(_("Address"), required=False, max_length=200),
            "postal_code": _text(_("Postal code"), required=False, max_length=6),
        },
        T.TRANSFER: {
            "lead_division_id": forms.ModelChoiceField(
                label=_("Lead division"), queryset=other_divisions
            ),
            "reason": _text(_("Reason"), area=True),
        },
    }
    return specs.get(name, {})


def _open_consultations(case: Case) -> list[tuple[str, str]]:
    opened: dict[str, str] = {}
    for kind, payload in (
        case.events.filter(kind__in=[T.OPEN_CONSULTATION, T.CLOSE_CONSULTATION])
        .order_by("seq")
        .values_list("kind", "payload")
    ):
        if kind == T.OPEN_CONSULTATION:
            opened[payload["consultation_id"]] = payload.get("party_name", "")
        else:
            opened.pop(payload["consultation_id"], None)
    return list(opened.items())


def _division_officers(case: Case) -> Any:
    if case.lead_division is None:
        return get_user_model().objects.none()
    officers = division_members(case.lead_division).filter(groups__name=Role.LIAISON)
    return officers.exclude(pk=case.assignee_id) if case.assignee_id else officers


def transition_form(name: str, case: Case, data: Any = None, *, today: Any = None) -> forms.Form:
    """A form for transition `name` on `case`: the effective date plus the transition's fields."""
    fields: dict[str, forms.Field] = {"on": _date(_("Effective date"))}
    fields.update(_fields(name, case))
    form_class: Any = type(f"{name.title()}Form", (forms.Form,), dict(fields))
    initial: dict[str, Any] = {"on": today}
    if name == T.UPDATE_APPLICANT:
        applicant = case.applicant
        initial.update({k: getattr(applicant, k) for k in fields if k != "on"})
    form: forms.Form = form_class(data, initial=initial)
    return form


def cleaned_fields(form: forms.Form) -> dict[str, Any]:
    """Form data as the JSON-safe fields the lifecycle takes."""
    values: dict[str, Any] = {}
    for key, value in form.cleaned_data.items():
        if key == "on" or value in (None, ""):
            continue
        if hasattr(value, "pk"):
            value = getattr(value, "pk")  # noqa: B009
        elif hasattr(value, "values_list"):
            value = list(value.values_list("pk", flat=True))
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif not isinstance(value, str | int | list):
            value = str(value)
        values[key] = value
    return values
