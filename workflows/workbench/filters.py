"""Forms validate input only; they never write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from casework.choices import CaseStatus, Channel
from casework.lifecycle.actors import Staff
from casework.models import Division
from casework.payloads import FormData


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

    def __init__(
        self, *args: Any, divisions: QuerySet[Division] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if divisions is not None:
            self.fields["division"].queryset = divisions  # type: ignore[attr-defined]

    def clean(self) -> FormData:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end date is before the start date."))
        return data


class SavedViewForm(forms.Form):
    """The name of a saved view (我的视图): required, at most 40 characters, one per name for
    each user."""

    name = forms.CharField(
        label=_("View name"),
        max_length=40,
        error_messages={
            "required": _("Please give the view a name."),
            "max_length": _("The name may have at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args: Any, owner: Staff | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean_name(self) -> str:
        from workflows.models import SavedView

        name = str(self.cleaned_data["name"]).strip()
        if SavedView.objects.filter(owner=self.owner, name=name).exists():
            raise forms.ValidationError(_("You already have a view with this name."))
        return name


class BulkActionForm(forms.Form):
    """The bulk action bar of the case list: the action, the ticked cases (or the whole page),
    and the input the chosen action needs. The case numbers (`cases`, `page_cases`) are read
    as given; visibility is checked for each case when acting."""

    action = forms.ChoiceField(label=_("Action to take"), choices=())
    select_page = forms.BooleanField(label=_("Select all on this page"), required=False)
    lead_division = forms.ModelChoiceField(
        label=_("Lead division"),
        required=False,
        queryset=Division.objects.none(),
        empty_label=_("(for assigning)"),
    )
    message = forms.CharField(
        label=_("Urging message"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": _("(for urging)")}),
    )

    def __init__(
        self,
        *args: Any,
        actions: Sequence[tuple[str, str]] = (),
        divisions: QuerySet[Division] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = list(actions)  # type: ignore[attr-defined]
        offered = {name for name, _label in actions}
        if divisions is not None:
            self.fields["lead_division"].queryset = divisions  # type: ignore[attr-defined]
        # Only the inputs of the actions offered to this user.
        if "assign" not in offered:
            del self.fields["lead_division"]
        if "urge" not in offered:
            del self.fields["message"]

    def numbers(self, key: str) -> list[str]:
        """The case numbers posted under `key` (a QueryDict list), trimmed, blanks dropped."""
        getlist = getattr(self.data, "getlist", None)
        values = getlist(key) if getlist else []
        return [str(n).strip()[:50] for n in values if str(n).strip()]

    def clean(self) -> FormData:
        from workflows.bulk import BULK_MAX_CASES, EXPORT

        data = super().clean() or {}
        numbers = self.numbers("cases")
        if data.get("select_page"):
            numbers += self.numbers("page_cases")
        data["numbers"] = list(dict.fromkeys(numbers))
        action = data.get("action")
        if action and action != EXPORT:
            if not data["numbers"]:
                raise forms.ValidationError(_("Tick the cases to act on first."))
            if len(data["numbers"]) > BULK_MAX_CASES:
                raise forms.ValidationError(
                    _(
                        "At most %(max)s cases can be handled at once; %(n)s are ticked. "
                        "Narrow the selection."
                    )
                    % {"max": BULK_MAX_CASES, "n": len(data["numbers"])}
                )
        if action == "assign" and not data.get("lead_division"):
            self.add_error("lead_division", _("Choose the lead division to assign to."))
        if action == "urge" and not str(data.get("message") or "").strip():
            self.add_error("message", _("Write the urging message."))
        return data
