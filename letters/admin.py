"""Admin: letter wording per kind (every save is a new version), issued letters read-only."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Max
from django.http import HttpRequest
from django.template import Template, TemplateSyntaxError
from django.utils.translation import gettext_lazy as _

from casework.admin import ReadOnlyAdmin
from letters.models import CaseFile, Letter, LetterSettings, LetterVoid, LetterWording


class LetterWordingForm(forms.ModelForm[LetterWording]):
    class Meta:
        model = LetterWording
        fields = ["kind", "body", "note"]

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        try:
            Template(body)
        except TemplateSyntaxError as exc:
            raise forms.ValidationError(
                _("The wording has a template error: %(error)s") % {"error": exc}
            ) from None
        return body


@admin.register(LetterWording)
class LetterWordingAdmin(admin.ModelAdmin[LetterWording]):
    """Changing a wording never edits an old version: saving creates the next one, so an
    issued letter keeps the version it used."""

    form = LetterWordingForm
    list_display = [
        "kind",
        "version",
        "note",
        "created_by",
        "created_at",
        "approved_by",
        "approved_at",
    ]
    readonly_fields = ["approved_by", "approved_at"]
    list_filter = ["kind"]

    def save_model(self, request: HttpRequest, obj: LetterWording, form: Any, change: bool) -> None:
        last = LetterWording.objects.filter(kind=obj.kind).aggregate(m=Max("version"))["m"] or 0
        new = LetterWording(
            kind=obj.kind,
            version=last + 1,
            body=obj.body,
            note=obj.note,
            created_by=request.user if request.user.is_authenticated else None,
        )
        new.save()
        form.instance = new

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "case", "issued_by", "issued_at", "verification_code"]
    list_filter = ["kind"]
    search_fields = ["number", "case__number", "verification_code"]
    exclude = ["html", "context"]


@admin.register(LetterVoid)
class LetterVoidAdmin(LetterAdmin):
    list_display = ["letter", "voided_by", "voided_at", "reason"]
    list_filter = []
    search_fields = ["letter__number"]
    exclude = []


@admin.register(CaseFile)
class CaseFileAdmin(ReadOnlyAdmin):
    list_display = ["case", "reason", "status", "pages", "built_at", "sha256"]
    list_filter = ["reason", "status"]
    search_fields = ["case__number", "sha256"]


@admin.register(LetterSettings)
class LetterSettingsAdmin(admin.ModelAdmin[LetterSettings]):
    list_display = [
        "organ",
        "contact_person",
        "reply_series",
        "acknowledgement_series",
        "correction_series",
        "extension_series",
        "consultation_series",
        "fee_series",
    ]
