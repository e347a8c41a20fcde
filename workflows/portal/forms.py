"""Applicant portal forms: shape only; the services check meaning and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files import File
from django.utils.translation import gettext_lazy as _

from casework.choices import ApplicantCategory, Channel, DeliveryMethod, IdType, ProvisionForm
from casework.payloads import FormData, Payload
from casework.printable import validate_printable

# The fields a letter quotes (addressee, address, request): each character must print.
PRINTED = [validate_printable]


class ApplicationForm(forms.Form):
    """Art 29: who applies (name, identity proof, contact), what is asked, in which form."""

    category = forms.ChoiceField(
        label=_("Applicant category"),
        choices=ApplicantCategory.choices,
        initial=ApplicantCategory.NATURAL_PERSON,
    )
    name = forms.CharField(label=_("Name or organisation"), max_length=200, validators=PRINTED)
    id_type = forms.ChoiceField(
        label=_("ID type"),
        choices=[("", "—"), *IdType.choices],
        required=False,
        help_text=_("Natural persons: the identity document."),
    )
    id_number = forms.CharField(label=_("ID number"), max_length=40, required=False)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        required=False,
        help_text=_("Organisations: the 18-character code."),
    )
    contact_person = forms.CharField(
        label=_("Contact person"), max_length=100, required=False, validators=PRINTED
    )
    phone = forms.CharField(label=_("Phone"), max_length=40)
    email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        help_text=_("We send the tracking number and the letters here."),
    )
    address = forms.CharField(
        label=_("Postal address"), max_length=200, required=False, validators=PRINTED
    )
    postal_code = forms.CharField(label=_("Postal code"), max_length=6, required=False)
    subject = forms.CharField(
        label=_("Information requested"),
        max_length=300,
        validators=PRINTED,
        help_text=_("Its name, document number (文号) or other features that let us find it."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=PRINTED,
    )
    provision_form = forms.ChoiceField(label=_("Form of provision"), choices=ProvisionForm.choices)
    delivery_method = forms.ChoiceField(label=_("Delivery method"), choices=DeliveryMethod.choices)
    id_proof = forms.FileField(
        label=_("Identity proof"), help_text=_("PDF, JPEG or PNG, at most 10 MB.")
    )
    other_file = forms.FileField(
        label=_("Other material (optional)"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )
    # Art 29 read with the Civil Code (Arts 161-165): an agent (委托代理人) may apply for the
    # applicant with a power of attorney and both identity proofs.
    agent_name = forms.CharField(
        label=_("Agent's name"), max_length=100, required=False, validators=PRINTED
    )
    agent_id_type = forms.ChoiceField(
        label=_("Agent's ID type"), choices=[("", "—"), *IdType.choices], required=False
    )
    agent_id_number = forms.CharField(label=_("Agent's ID number"), max_length=40, required=False)
    agent_organisation = forms.CharField(
        label=_("Agent's organisation"), max_length=200, required=False
    )
    agent_phone = forms.CharField(label=_("Agent's phone"), max_length=40, required=False)
    agent_id_proof = forms.FileField(
        label=_("Agent's identity proof"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )
    power_of_attorney = forms.FileField(
        label=_("Power of attorney"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )

    submission_token = forms.CharField(widget=forms.HiddenInput)

    FILE_FIELDS = ("id_proof", "agent_id_proof", "power_of_attorney", "other_file")
    # Online, an agent must prove the authorisation at once; at the counter a missing proof
    # is a ground for correction instead (StaffIntakeForm).
    agent_proofs_required = True

    def __init__(
        self,
        *args: Any,
        kept: dict[str, str] | None = None,
        captcha: bool = False,
        **kwargs: Any,
    ) -> None:
        """`kept`: file fields whose upload from an earlier attempt is kept on the server
        (field name -> original file name); those need no new file. `captcha`: ask for the
        picture's characters (issue 16: after the first few submissions from one client)."""
        super().__init__(*args, **kwargs)
        self.kept = kept or {}
        for name in self.kept:
            if name in self.fields:
                self.fields[name].required = False
        if captcha:
            # Self-hosted (django-simple-captcha): no request ever leaves for a third party.
            from captcha.fields import CaptchaField

            self.fields["captcha"] = CaptchaField(
                label=_("Characters in the picture"),
                help_text=_("Type the characters shown in the picture (not case-sensitive)."),
            )

    def clean(self) -> FormData:
        data = super().clean() or {}
        if any(data.get(f) for f in ("agent_name", "agent_id_number", "agent_phone")):
            for name in ("agent_name", "agent_id_type", "agent_id_number", "agent_phone"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Required when an agent applies."))
            if self.agent_proofs_required:
                for name in ("power_of_attorney", "agent_id_proof"):
                    if not data.get(name) and name not in self.kept and name not in self.errors:
                        self.add_error(name, _("Required when an agent applies."))
        return data

    def agent(self) -> Payload | None:
        data = self.cleaned_data
        if not data.get("agent_name"):
            return None
        return {
            "name": data["agent_name"],
            "id_type": data.get("agent_id_type") or "resident_id",
            "id_number": data.get("agent_id_number") or "",
            "organisation": data.get("agent_organisation") or "",
            "phone": data.get("agent_phone") or "",
        }

    def applicant(self) -> Payload:
        data = self.cleaned_data
        keys = [
            "category",
            "name",
            "id_type",
            "id_number",
            "credit_code",
            "contact_person",
            "phone",
            "email",
            "address",
            "postal_code",
        ]
        return {k: data.get(k) or "" for k in keys}

    def request(self) -> Payload:
        data = self.cleaned_data
        return {
            k: data.get(k) or ""
            for k in ("subject", "description", "provision_form", "delivery_method")
        }


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Application number"), max_length=40)
    code = forms.CharField(label=_("Query code"), max_length=20)


class ForgotCodeForm(forms.Form):
    """忘记查询码: the number and the e-mail address given in the application."""

    number = forms.CharField(label=_("Application number"), max_length=40)
    email = forms.EmailField(label=_("E-mail address given in the application"), max_length=254)


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code printed on the letter"), max_length=20)


class WithdrawForm(forms.Form):
    """Withdrawing ends the case (Art 30 practice: 撤回申请): the applicant says why and
    confirms, so that no stray click ends an application."""

    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I confirm that I withdraw this application; the office stops handling it."),
    )


STAFF_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.ONLINE]


class StaffIntakeForm(ApplicationForm):
    """The registrar records an application that came in person, orally, by post, e-mail or
    fax, with its scans; the Art 31 receipt rules apply to the channel."""

    channel = forms.ChoiceField(label=_("Channel"), choices=STAFF_CHANNELS)
    arrived_at = forms.DateTimeField(
        label=_("Arrived at"),
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    signed_on = forms.DateField(
        label=_("Signed for on (registered post)"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    application_scan = forms.FileField(
        label=_("Scanned application form"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )
    agent_proofs_required = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "id_proof"
        ].required = False  # a missing proof is a ground for correction, not a refusal

    def uploads(self) -> list[tuple[str, File[bytes]]]:
        pairs = [
            ("application_scan", "application_form"),
            ("id_proof", "applicant_id"),
            ("agent_id_proof", "agent_id"),
            ("power_of_attorney", "power_of_attorney"),
            ("other_file", "other"),
        ]
        return [
            (kind, self.cleaned_data[name]) for name, kind in pairs if self.cleaned_data.get(name)
        ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); checked by content later."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class CorrectionForm(forms.Form):
    """The correction the office asked for (Art 30), sent from the tracking page."""

    subject = forms.CharField(
        label=_("Corrected subject (optional)"),
        required=False,
        max_length=300,
        validators=PRINTED,
        help_text=_("What you now ask for, if the office asked you to describe it again."),
    )
    text = forms.CharField(
        label=_("Your correction"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Files (optional)"),
        required=False,
        help_text=_("PDF, JPEG or PNG; for example the identity proof or the power of attorney."),
    )
