"""Workflow processes and tasks are read-only in the admin.

viewflow registers editable admins for them; editing or deleting a task there would change a
case's work with no case event (DESIGN §3: every change is on the ledger), so they are
replaced with views that only show."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from viewflow.workflow.admin import ProcessAdmin, TaskAdmin
from viewflow.workflow.models import Process, Task


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyProcessAdmin(_ReadOnly, ProcessAdmin):
    actions = None


class ReadOnlyTaskAdmin(_ReadOnly, TaskAdmin):
    actions = None


for model, model_admin in ((Process, ReadOnlyProcessAdmin), (Task, ReadOnlyTaskAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
