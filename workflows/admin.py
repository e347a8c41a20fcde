"""The workflows app in the admin.

- Workflow processes and tasks are read-only: viewflow registers editable admins for them;
  editing or deleting a task there would change a case's work with no case event (DESIGN §3:
  every change is on the ledger).
- API tokens: the prefix, name, scope and dates only — never the secret (it is not stored)
  and never a way to make one here (the command prints a new one once).
- The record of who saw a full ID number, read only.
"""

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from viewflow.workflow.admin import ProcessAdmin, TaskAdmin

from workflows.api.tokens import ApiToken
from workflows.models import IdNumberReveal
from workflows.viewflow_adapter import Process, Task


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["prefix", "name", "user", "scope", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["scope"]
    search_fields = ["name", "prefix", "user__username"]
    fields = [
        "prefix",
        "name",
        "user",
        "scope",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    readonly_fields = [
        "prefix",
        "name",
        "user",
        "scope",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            token.revoke()


@admin.register(IdNumberReveal)
class IdNumberRevealAdmin(admin.ModelAdmin[IdNumberReveal]):
    """The record of who saw a full ID number: read only."""

    list_display = ["at", "user", "case", "whose"]
    list_filter = ["whose"]
    search_fields = ["case__number", "user__username"]
    list_select_related = ["case", "user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class ReadOnlyProcessAdmin(_ReadOnly, ProcessAdmin):
    actions = None


class ReadOnlyTaskAdmin(_ReadOnly, TaskAdmin):
    actions = None


for model, model_admin in ((Process, ReadOnlyProcessAdmin), (Task, ReadOnlyTaskAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)


from workflows.decide.phrases import CommonPhrase  # noqa: E402 - 常用语 (issue 24 point 9)


@admin.register(CommonPhrase)
class CommonPhraseAdmin(admin.ModelAdmin[CommonPhrase]):
    list_display = ["text", "organ", "owner", "position"]
    list_filter = ["organ"]
    search_fields = ["text", "owner__username"]
    raw_id_fields = ["owner"]
