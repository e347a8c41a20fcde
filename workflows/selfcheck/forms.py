from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.catalogue.models import Category
from casework.selfcheck.models import Conclusion, GroundCheck


class OpenForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = forms.DateField(
        label=_("Self-check period from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Self-check period to"), widget=forms.DateInput(attrs={"type": "date"})
    )
    working_days = forms.IntegerField(
        label=_("Working days for the divisions"), min_value=1, max_value=120, initial=20
    )


class ConcludeForm(forms.Form):
    conclusion = forms.ChoiceField(
        label=_("Conclusion"), choices=Conclusion.choices, widget=forms.RadioSelect
    )
    ground_check = forms.ChoiceField(
        label=_("Ground re-checked"),
        choices=[c for c in GroundCheck.choices if c[0] != GroundCheck.NOT_APPLICABLE],
        widget=forms.RadioSelect,
        required=False,
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: object, withheld: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if withheld:
            self.fields["conclusion"].choices = [  # type: ignore[attr-defined]
                (Conclusion.KEEP_WITHHELD, _("Keep withheld (the ground re-checked)")),
                (Conclusion.DISCLOSE_NOW, Conclusion.DISCLOSE_NOW.label),
                (Conclusion.CONVERT_PROACTIVE, Conclusion.CONVERT_PROACTIVE.label),
            ]
        else:
            del self.fields["ground_check"]
            self.fields["conclusion"].choices = [  # type: ignore[attr-defined]
                (Conclusion.CONVERT_PROACTIVE, _("Convert to proactive disclosure")),
                (Conclusion.KEEP_WITHHELD, _("Keep answering on request (not converted)")),
            ]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


# The catalogue's heading for information converted from requests (its default categories).
CONVERTED_CATEGORY = "依申请公开转主动公开"


class ApproveForm(forms.Form):
    """The head's approval; a conclusion that discloses is published in the catalogue under
    the chosen category."""

    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("Catalogue category"), queryset=None, required=True, empty_label="—"
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def __init__(self, *args: object, disclosing: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not disclosing:
            del self.fields["category"]
            return
        categories = Category.objects.filter(is_active=True).order_by("position", "pk")
        field = self.fields["category"]
        field.queryset = categories  # type: ignore[attr-defined]
        converted = categories.filter(name=CONVERTED_CATEGORY).first()
        if converted is not None:
            field.initial = converted.pk
