"""The demo never reaches production (issue 22): `load_demo` leaves a marker row, and a
production start refuses a database that carries it or an active account that still has the
demo's published password (README: demo-2026).

`CASEWORK_MODE=demo manage.py load_demo` with the production DATABASE_URL would otherwise put
the demo's superuser, with a password printed in the README, into the production database.
The refusal runs in `manage.py check --database default` (bin/bootstrap serve) and in
gunicorn's master before any worker starts (casework/gunicorn_conf.py: when_ready); the demo
itself (CASEWORK_MODE=demo) is never refused."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - published in the README, demo only


class DemoMarker(models.Model):
    """One row, written by load_demo: this database holds the demo's data."""

    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)
    objects: models.Manager[DemoMarker] = models.Manager()

    class Meta:
        app_label = "workflows"
        verbose_name = _("demo marker")
        verbose_name_plural = _("demo markers")

    def __str__(self) -> str:
        return f"demo data loaded {self.loaded_at:%Y-%m-%d %H:%M}"


def demo_marker_write() -> None:
    DemoMarker.objects.get_or_create(pk=1)


def demo_in_production_problems() -> list[str]:
    """What makes this database unfit for production: the demo marker, and each active account
    whose password is the demo's (checked against every active account: one PBKDF2 check
    each, about 0.3 s, paid once at start)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import check_password
    from django.db import connection

    user_model = get_user_model()
    # A database not migrated yet holds neither (the start then fails on its own anyway).
    tables = set(connection.introspection.table_names())
    problems = []
    if DemoMarker._meta.db_table in tables and DemoMarker.objects.exists():
        problems.append(
            "the database carries the demo marker (manage.py load_demo was run on it); "
            "production runs on a database that never held the demo"
        )
    unusable = "!"  # set_unusable_password()
    users = user_model.objects.filter(is_active=True).exclude(password__startswith=unusable)
    if user_model._meta.db_table not in tables:
        users = user_model.objects.none()
    for username, encoded in users.values_list("username", "password"):
        if encoded and check_password(DEMO_PASSWORD, encoded):
            problems.append(f"the active account {username!r} has the demo password")
    return problems


def refuse_demo_in_production() -> None:
    """Raises ImproperlyConfigured in production mode when demo_in_production_problems()."""
    if not getattr(settings, "PRODUCTION", False):
        return
    problems = demo_in_production_problems()
    if problems:
        raise ImproperlyConfigured(
            "Production refuses to start: " + "; ".join(problems) + " (docs/DEPLOY.md)."
        )


@checks.register(checks.Tags.database)
def demo_in_production_check(
    databases: Sequence[str] | None = None, **kwargs: object
) -> list[checks.CheckMessage]:
    """`manage.py check --database default` in production mode (bin/bootstrap serve)."""
    if not getattr(settings, "PRODUCTION", False) or not databases:
        return []
    return [
        checks.Error(problem, id="casework.E022", hint="docs/DEPLOY.md §1")
        for problem in demo_in_production_problems()
    ]
