"""Admin for the organ's data (organ, divisions and their liaison officers). Cases and
events are read-only here: status changes go through the lifecycle, events never change."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from casework.models import Case, Division, Event, Organ
from casework.permissions import DIVISION_PERM, division_grant_member, division_revoke_member

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
            from guardian.shortcuts import get_users_with_perms

            users: Any = get_users_with_perms(self.instance, only_with_perms_in=[DIVISION_PERM.split(".")[1]], with_group_users=False)
            self.fields["members"].initial = [u.pk for u in users]


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin[Division]):
    form = DivisionForm
    list_display = ["name", "code", "organ", "is_active"]
    list_filter = ["organ", "is_active"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        division = form.instance
        wanted = set(form.cleaned_data["members"])
        current = {get_user_model().objects.get(pk=pk) for pk in (form.fields["members"].initial or [])}
        for user in wanted - current:
            division_grant_member(user, division)
        for user in current - wanted:
            division_revoke_member(user, division)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "status", "channel", "received_on", "lead_division", "reply_due_on"]
    list_filter = ["status", "channel", "lead_division"]
    search_fields = ["number", "applicant__name"]
    list_select_related = ["lead_division"]
    show_full_result_count = False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["case", "seq", "kind", "actor_name", "actor_role", "on", "entered_at"]
    list_filter = ["kind"]
    search_fields = ["case__number"]
    list_select_related = ["case"]
    show_full_result_count = False
