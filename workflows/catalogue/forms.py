"""The office's forms for catalogue items and guide drafts (labels are the Chinese names
shown on the pages; the services check everything again)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from casework.catalogue.guide import SECTIONS
from casework.catalogue.models import Category
from casework.lifecycle.actors import Person
from casework.models import Division, Organ
from casework.payloads import FormData
from casework.permissions import OFFICE_ROLES, user_division_ids, user_roles


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: object, initial: object = None) -> list[UploadedFile]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    doc_number = forms.CharField(
        label=_("Document number"),
        max_length=80,
        required=False,
        help_text=_("e.g. 济退役军人发〔2026〕3号"),
    )
    division = forms.ModelChoiceField(
        label=_("Issuing division"), queryset=Division.objects.none(), required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    published_on = forms.DateField(
        label=_("Date issued"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the day the head approves it."),
    )
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, JPEG or PNG; several files may be chosen."),
    )

    def __init__(
        self,
        data: QueryDict | None = None,
        files: MultiValueDict[str, UploadedFile] | None = None,
        *,
        organ: Organ,
        user: Person,
        initial: FormData | None = None,
    ) -> None:
        super().__init__(data, files, initial=initial)
        divisions = Division.objects.filter(organ=organ, is_active=True)
        if not user_roles(user) & OFFICE_ROLES:  # a liaison officer: their own divisions
            divisions = divisions.filter(pk__in=user_division_ids(user))
            self.fields["division"].required = True
        division_field = cast("forms.ModelChoiceField[Division]", self.fields["division"])
        division_field.queryset = divisions
        category_field = cast("forms.ModelChoiceField[Category]", self.fields["category"])
        category_field.queryset = Category.objects.filter(is_active=True)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class GuideForm(forms.Form):
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def __init__(self, data: QueryDict | None = None, *, initial: FormData | None = None) -> None:
        super().__init__(data, initial=initial)
        for key, label in SECTIONS:
            self.fields[f"section_{key}"] = forms.CharField(
                label=label,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=_("Paragraphs are separated by an empty line."),
            )

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"section_{key}", "") for key, _label in SECTIONS}
