"""Admin for the organ's data (organ, divisions and their liaison officers). Cases and
events are read-only here: status changes go through the lifecycle, events never change."""

import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from typing_extensions import TypeVar

from casework.calendar_data import (
    CalendarImportError,
    calendar_import,
    calendar_load_from_package,
    package_years,
    parse_calendar_file,
    special_day_save,
)
from casework.lifecycle.actors import staff_user
from casework.lifecycle.table import OTHER_EVENT_LABELS, TRANSITIONS, event_kind_label
from casework.models import CalendarChange, CalendarYear, Case, Division, Event, Organ, SpecialDay
from casework.payloads import FormData, TemplateContext
from casework.permissions import division_grant_member, division_members, division_revoke_member
from casework.tasks import enqueue_on_commit, recompute_deadlines

admin.site.site_header = _("On-request disclosure casework administration")
admin.site.site_title = _("Casework administration")


@admin.register(Organ)
class OrganAdmin(admin.ModelAdmin[Organ]):
    list_display = ["name", "phone", "reconsideration_organ"]


class DivisionForm(forms.ModelForm[Division]):
    members = forms.ModelMultipleChoiceField(
        label=_("Liaison officers"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        widget=FilteredSelectMultiple(_("liaison officers"), is_stacked=False),
    )

    class Meta:
        model = Division
        fields = ["organ", "name", "code", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["members"].initial = list(
                division_members(self.instance).values_list("pk", flat=True)
            )


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin[Division]):
    form = DivisionForm
    list_display = ["name", "code", "organ", "is_active"]
    list_filter = ["organ", "is_active"]

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm[Division],
        formsets: object,
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        division = form.instance
        wanted = set(form.cleaned_data["members"])
        current = set(get_user_model().objects.filter(pk__in=form.fields["members"].initial or []))
        for user in wanted - current:
            division_grant_member(user, division)
        for user in current - wanted:
            division_revoke_member(user, division)


ReadOnlyModel = TypeVar("ReadOnlyModel", bound=models.Model, default=models.Model)


class ReadOnlyAdmin(admin.ModelAdmin[ReadOnlyModel]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin[Case]):
    list_display = ["number", "status", "channel", "received_on", "lead_division", "reply_due_on"]
    list_filter = ["status", "channel", "lead_division"]
    search_fields = ["number", "applicant__name"]
    list_select_related = ["lead_division"]
    show_full_result_count = False


class EventKindFilter(admin.SimpleListFilter):
    """Event kinds by their Chinese labels, from the transition table."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Event]
    ) -> list[tuple[str, str]]:
        return [(name, spec.label) for name, spec in TRANSITIONS.items()] + [
            (name, str(label)) for name, label in OTHER_EVENT_LABELS.items()
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Event]) -> QuerySet[Event]:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin[Event]):
    list_display = ["case", "seq", "kind_label", "actor_name", "actor_role", "on", "entered_at"]
    list_filter = [EventKindFilter]
    search_fields = ["case__number"]
    list_select_related = ["case"]
    show_full_result_count = False

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, event: Event) -> str:
        return event_kind_label(event.kind)


class SpecialDayForm(forms.ModelForm[SpecialDay]):
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        help_text=_("E.g. the State Council notice and its document number."),
    )

    class Meta:
        model = SpecialDay
        fields = ["day", "kind", "name", "source"]

    def clean(self) -> FormData:
        data = super().clean() or {}
        day, kind = data.get("day"), data.get("kind")
        if day and kind:
            from casework.calendar_data import special_day_problems

            for field_name, message in special_day_problems(day=day, kind=kind).items():
                self.add_error(field_name, message)
        return data


@admin.register(SpecialDay)
class SpecialDayAdmin(admin.ModelAdmin[SpecialDay]):
    """Add or correct special days; every change is recorded with who and why, and the open
    cases' time limits are recomputed."""

    form = SpecialDayForm
    list_display = ["day", "kind", "name", "source"]
    list_filter = ["kind"]
    date_hierarchy = "day"
    search_fields = ["name", "source"]

    def save_model(
        self, request: HttpRequest, obj: SpecialDay, form: forms.ModelForm[SpecialDay], change: bool
    ) -> None:
        special_day_save(day=obj, actor=staff_user(request), reason=form.cleaned_data["reason"])
        # Recomputing 100,000 open cases takes minutes: a worker does it (issue 15).
        messages.info(
            request,
            _("The time limits of open cases are being recomputed in the background."),
        )

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        # Deleting a day must carry a reason too: correct it, or re-import the year.
        return False


class CalendarYearImportForm(forms.Form):
    """A year's arrangement from the chinesecalendar package, or from a JSON or CSV file (the
    format is in the README), for an administrator who has no shell (issue 14 point 8)."""

    package_year = forms.TypedChoiceField(
        label=_("From the bundled State Council arrangements"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
    )
    file = forms.FileField(
        label=_("Or from a file (JSON or CSV)"),
        required=False,
        help_text=_("One line per holiday or make-up working day; the format is in the README."),
    )
    year = forms.IntegerField(
        label=_("Year of the file"),
        required=False,
        help_text=_("Only needed when the file does not say which year it covers."),
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=200,
        help_text=_("E.g. the State Council notice and its document number."),
    )

    MAX_FILE_BYTES = 1024 * 1024

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["package_year"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (y, str(y)) for y in years
        ]

    def clean(self) -> FormData:
        data = super().clean() or {}
        upload = data.get("file")
        if data.get("package_year") and upload:
            self.add_error("file", _("Choose either a bundled year or a file, not both."))
        elif not data.get("package_year") and not upload:
            self.add_error("package_year", _("Choose a bundled year or a file."))
        if upload is not None:
            name = upload.name.lower()
            if not name.endswith((".json", ".csv")):
                self.add_error("file", _("The file must be a .json or .csv file."))
            elif upload.size > self.MAX_FILE_BYTES:
                self.add_error("file", _("The file is larger than 1 MB."))
        return data


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin[CalendarYear]):
    """The loaded years, and a page to load one (the web form of `workdays load` and
    `workdays import`); the open cases are then recomputed by a worker."""

    list_display = ["year", "source", "loaded_at"]
    readonly_fields = ["loaded_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a year is loaded on the import page, whole

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_import_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("casework.add_specialday"))

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="casework_calendaryear_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = CalendarYearImportForm(
            request.POST if posted else None,
            request.FILES if posted else None,
            years=package_years(),
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    if data["package_year"]:
                        year = data["package_year"]
                        count = calendar_load_from_package([year], user=staff_user(request))[year]
                    else:
                        upload = data["file"]
                        suffix = Path(upload.name).suffix.lower()
                        with tempfile.TemporaryDirectory() as folder:
                            path = Path(folder) / f"calendar{suffix}"
                            path.write_bytes(upload.read())
                            parsed = parse_calendar_file(path, year=data["year"])
                        year = parsed.year
                        count = calendar_import(
                            parsed, user=staff_user(request), source=data["source"]
                        )
                    enqueue_on_commit(recompute_deadlines)
            except CalendarImportError as exc:
                for problem in exc.errors:
                    form.add_error("file", problem)
            else:
                messages.success(
                    request,
                    _(
                        "%(year)d: %(n)d special days loaded. The time limits of open cases are "
                        "being recomputed in the background."
                    )
                    % {"year": year, "n": count},
                )
                return redirect("admin:casework_calendaryear_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Load a year's working-day arrangement"),
            "form": form,
        }
        return TemplateResponse(
            request,
            "admin/casework/calendaryear/import.html",
            context,
            status=400 if request.method == "POST" else 200,
        )

    def changelist_view(
        self, request: HttpRequest, extra_context: TemplateContext | None = None
    ) -> HttpResponse:
        loaded = set(CalendarYear.objects.values_list("year", flat=True))
        this_year = timezone.localdate().year
        missing = [y for y in range(this_year - 1, this_year + 2) if y not in loaded]
        if missing:
            from django.contrib import messages

            messages.warning(
                request,
                _(
                    "Not loaded: %(years)s. Dates in these years are estimated and provisional; load them with “Load a year” on this page when the State Council publishes the arrangement."
                )
                % {"years": "、".join(str(y) for y in missing)},
            )
        extra_context = {
            **(extra_context or {}),
            "may_import": self.has_import_permission(request),
        }
        return super().changelist_view(request, extra_context)


@admin.register(CalendarChange)
class CalendarChangeAdmin(ReadOnlyAdmin[CalendarChange]):
    list_display = ["at", "user", "action", "year", "day", "before", "after", "reason"]
    list_filter = ["action", "year"]
