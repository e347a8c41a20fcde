"""Issue 22: production settings that refuse what the findings exploited. Behind a proxy
without TRUSTED_PROXY_HEADER every caller was one address (finding 2); the demo's superuser
with its published password was loaded into production and the server accepted it; the
cookies lacked the __Host- prefix. Each is tried again with the documented production
environment (docs/production.env.example)."""

import subprocess
import sys

from django.contrib.auth.models import User
from django.db import connection
from django.test import override_settings

import pytest

from tests.casework.test_production import ROOT, _documented_env, _manage


def test_production_refuses_a_proxy_without_the_address_header(tmp_path):
    env = _documented_env(DATA_DIR=str(tmp_path))
    assert env["SECURE_PROXY_SSL_HEADER"]  # behind nginx, as documented
    del env["TRUSTED_PROXY_HEADER"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "TRUSTED_PROXY_HEADER must be set behind a proxy" in result.stderr
    # Without a proxy (gunicorn answering the callers itself), REMOTE_ADDR is the caller.
    del env["SECURE_PROXY_SSL_HEADER"]
    assert _manage("check", env=env).returncode == 0


def test_production_cookies_carry_the_host_prefix_over_https(tmp_path):
    code = (
        "from django.conf import settings; "
        "print(settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "
        "settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_DOMAIN, settings.CSRF_COOKIE_PATH)"
    )
    env = _documented_env(DATA_DIR=str(tmp_path))
    out = _manage("shell", "--no-imports", "-c", code, env=env).stdout.split()
    assert out == ["__Host-sessionid", "__Host-csrftoken", "True", "None", "/"]
    # Plain HTTP (the load test's loopback set-up): a __Host- cookie needs Secure, so none.
    env.update(SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0")
    out = _manage("shell", "--no-imports", "-c", code, env=env).stdout.split()
    assert out[:2] == ["sessionid", "csrftoken"]


def test_production_second_factor_groups_include_the_liaison_officers(tmp_path):
    code = "from django.conf import settings; print(','.join(settings.OTP_REQUIRED_GROUPS))"
    env = _documented_env(DATA_DIR=str(tmp_path))
    groups = _manage("shell", "--no-imports", "-c", code, env=env).stdout.strip().split(",")
    assert "联络员" in groups


# --- the demo in production ---------------------------------------------------------------


def _test_database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        host = db["HOST"] or "127.0.0.1"
        return f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_demo_loaded_into_the_production_database_stops_production(tmp_path):
    """The attack: CASEWORK_MODE=demo with the production DATABASE_URL loads the demo's users
    (superuser admin, password demo-2026, printed in the README). Then production's start
    refuses: the deployment check and gunicorn's master both stop."""
    from django.contrib.auth.models import Group

    from casework.choices import Role

    # The role groups come from a data migration, which an earlier transactional test flushed.
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    url = _test_database_url()
    demo = {
        "PATH": "/usr/bin:/bin",
        "CASEWORK_MODE": "demo",
        "DATABASE_URL": url,
        "DATA_DIR": str(tmp_path / "demo"),
    }
    # As `bin/bootstrap run` does: the demo's database cache table, then the demo.
    assert _manage("createcachetable", env=demo).returncode == 0
    loaded = _manage("load_demo", env=demo)
    assert loaded.returncode == 0, loaded.stderr
    assert User.objects.filter(username="admin", is_superuser=True).exists()
    if connection.vendor != "postgresql":
        return  # production refuses SQLite before anything else (test_production.py)
    env = _documented_env(DATA_DIR=str(tmp_path / "prod"), DATABASE_URL=url)
    check = _manage("check", "--database", "default", env=env)
    assert check.returncode != 0
    assert "demo marker" in check.stderr
    assert "'admin' has the demo password" in check.stderr
    gunicorn = subprocess.run(
        [sys.executable, "-m", "gunicorn", "casework.wsgi", "--config",
         "python:casework.gunicorn_conf", "--bind", "127.0.0.1:0"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "casework.settings", "WEB_CONCURRENCY": "1"},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert gunicorn.returncode != 0
    assert "Production refuses to start" in gunicorn.stderr


@pytest.mark.django_db
def test_the_marker_alone_or_one_demo_password_alone_refuses(users):
    from django.core.exceptions import ImproperlyConfigured

    from workflows.demo import DEMO_PASSWORD, DemoMarker, refuse_demo_in_production

    with override_settings(PRODUCTION=True):
        refuse_demo_in_production()  # the test users' own passwords: nothing to refuse
        officer = users["liaison_b"]
        officer.set_password(DEMO_PASSWORD)
        officer.save()
        with pytest.raises(ImproperlyConfigured, match="'liaison_b' has the demo password"):
            refuse_demo_in_production()
        officer.is_active = False  # a disabled account cannot log in: no longer a reason
        officer.save()
        refuse_demo_in_production()
        DemoMarker.objects.create()
        with pytest.raises(ImproperlyConfigured, match="demo marker"):
            refuse_demo_in_production()
    # The demo itself (and development) is never refused.
    with override_settings(PRODUCTION=False):
        refuse_demo_in_production()
