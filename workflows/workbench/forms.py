"""The staff pages' action forms: the transition's own input form (declared once in the
transition table) plus its effective date."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from casework.lifecycle import TRANSITIONS
from casework.lifecycle.inputs import TransitionForm, backdate_reason_field, day, json_safe
from casework.models import NOTE_MAX_LENGTH, Case
from casework.payloads import FormData
from workflows.workbench.withheld_prefill import withheld_prefill


def transition_form(
    name: str, case: Case, data: QueryDict | None = None, *, today: date | None = None
) -> forms.Form:
    """A form for transition `name` on `case`: the effective date first, then its fields, then
    the reason for recording it late (needed only for a step backdated beyond the setting)."""
    spec = TRANSITIONS[name]
    form_class = cast(
        "type[TransitionForm]",
        type(
            f"{spec.form.__name__}Page",
            (spec.form,),
            {"on": day(_("Effective date")), "backdate_reason": backdate_reason_field()},
        ),
    )
    form: forms.Form = form_class(data, case=case, initial={"on": today})
    form.order_fields(["on"])
    withheld_prefill(name, form, case)  # Art 37: from the approved release set
    return form


def cleaned_fields(form: forms.Form) -> FormData:
    """The form's data as the JSON-safe fields the lifecycle takes (without the date)."""
    return json_safe(form.cleaned_data)


class _StaffChoice(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        from casework.lifecycle.actors import display_name

        name = display_name(obj)
        return name if name == obj.get_username() else f"{name}（{obj.get_username()}）"


class CaseNoteForm(forms.Form):
    """An internal note on the case page: the text (with @用户名 / @处室名) and, unambiguous,
    the people and divisions to mention picked from lists (only those who see the case)."""

    text = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Internal: never shown to the applicant. Mention with @name or below."),
    )
    mentioned_users = _StaffChoice(
        label=_("Mention people"), queryset=User.objects.none(), required=False
    )
    mentioned_divisions = forms.ModelMultipleChoiceField(
        label=_("Mention divisions"), queryset=Case.objects.none(), required=False
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        from casework.selectors import case_note_divisions, case_note_users

        super().__init__(*args, **kwargs)
        divisions = case_note_divisions(case)
        self.fields["mentioned_users"].queryset = case_note_users(case, divisions)  # type: ignore[attr-defined]
        self.fields["mentioned_divisions"].queryset = divisions  # type: ignore[attr-defined]
