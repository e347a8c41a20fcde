"""The role groups and their permissions, as the data migrations make them (casework 0002,
workflows 0002), put back where they are missing: a database flushed by a transactional test,
or one restored without them. Used by `load_demo` and the test set-up."""

from __future__ import annotations

import importlib

from django.contrib.auth.models import Group, Permission


def role_groups_ensure() -> None:
    """Every role group exists with the permissions its migration grants (idempotent)."""
    roles = importlib.import_module("casework.migrations.0002_roles_and_append_only_events")
    grants = importlib.import_module("workflows.migrations.0002_role_permissions")

    def perm(dotted: str) -> Permission:
        app_label, codename = dotted.split(".")
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    for name in roles.ROLES:
        Group.objects.get_or_create(name=name)
    for name, perms in grants.GRANTS.items():
        Group.objects.get_or_create(name=name)[0].permissions.add(*[perm(p) for p in perms])
    for name in grants.VIEWERS:
        Group.objects.get_or_create(name=name)[0].permissions.add(
            perm("workflows.view_caseprocess")
        )
