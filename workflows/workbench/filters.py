"""Forms validate input only; they never write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.choices import CaseStatus, Channel
from casework.models import Division


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_(
            "Case number, subject, request text, applicant name, phone, e-mail, full ID number "
            "or document number"
        ),
        widget=forms.TextInput(attrs={"aria-describedby": "q-help"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *list(CaseStatus.choices)]
    )
    division = forms.ModelChoiceField(
        label=_("Lead division"),
        required=False,
        queryset=Division.objects.none(),
        empty_label=_("All"),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *list(Channel.choices)]
    )
    received_from = forms.DateField(
        label=_("Received from"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    received_to = forms.DateField(
        label=_("Received to"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, divisions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if divisions is not None:
            self.fields["division"].queryset = divisions  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end date is before the start date."))
        return data
