"""Production mode: safe by default, the documented environment passes `check --deploy`,
nothing of the demo runs there, and `bin/bootstrap serve` starts gunicorn, a worker and
the scheduler that answer /healthz (PostgreSQL; on SQLite the command refuses to start)."""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = ROOT / "docs" / "production.env.example"


def _documented_env(**overrides: str) -> dict[str, str]:
    """docs/production.env.example as the shell reads it, with a real key filled in."""
    out = subprocess.run(
        ["bash", "-c", f"set -a; . {ENV_EXAMPLE}; set +a; env -0"],
        capture_output=True,
        check=True,
        env={"PATH": os.environ["PATH"]},
    ).stdout.decode()
    env = dict(item.split("=", 1) for item in out.split("\0") if "=" in item)
    env.update(SECRET_KEY=secrets.token_urlsafe(50), **overrides)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "casework.settings"},
        capture_output=True,
        text=True,
    )


def test_documented_environment_passes_check_deploy_without_a_warning(tmp_path):
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env=_documented_env(DATA_DIR=str(tmp_path))
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set"),
        ("DATABASE_URL", "DATABASE_URL=postgres"),
    ],
)
def test_production_refuses_to_start_without_its_settings(tmp_path, missing, message):
    env = _documented_env(DATA_DIR=str(tmp_path))
    del env[missing]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_sqlite(tmp_path):
    env = _documented_env(DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DATABASE_URL=postgres" in result.stderr


def test_debug_is_off_in_production_unless_set(tmp_path):
    code = "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    env = _documented_env(DATA_DIR=str(tmp_path))
    assert _manage("shell", "--no-imports", "-c", code, env=env).stdout.split() == ["False", "True"]
    env["DEBUG"] = "1"
    assert _manage("shell", "--no-imports", "-c", code, env=env).stdout.split()[0] == "True"


def test_with_redis_the_cache_and_session_reads_go_to_redis(tmp_path):
    code = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)"
    )
    env = _documented_env(DATA_DIR=str(tmp_path), REDIS_URL="redis://127.0.0.1:6379/15")
    assert _manage("shell", "--no-imports", "-c", code, env=env).stdout.split() == [
        "casework.cache.RedisCache",
        "casework.sessions",
    ]
    del env["REDIS_URL"]  # the database cache: sessions stay in the database alone
    assert _manage("shell", "--no-imports", "-c", code, env=env).stdout.split() == [
        "django.core.cache.backends.db.DatabaseCache",
        "django.contrib.sessions.backends.db",
    ]


def test_gunicorn_loads_the_application_once_and_warms_it_before_forking(tmp_path):
    """preload_app, and when_ready imports the views and compiles every project template in
    the master, leaving no database connection open to be shared by the forked workers."""
    code = (
        "from casework import gunicorn_conf as g; "
        "from django.db import connection; "
        "from django.template import engines; "
        "connection.ensure_connection(); "
        "g.when_ready(None); "
        "loader = engines['django'].engine.template_loaders[0]; "
        "print(g.preload_app, len(loader.get_template_cache), connection.connection is None)"
    )
    # The machine's PostgreSQL (it runs before the tests, see DESIGN), to have a connection open.
    env = _documented_env(
        DATA_DIR=str(tmp_path), DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
    )
    result = _manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    preload, compiled, closed = result.stdout.split()
    templates = sum(1 for _ in (ROOT / "templates").rglob("*.html"))
    assert (preload, closed) == ("True", "True")
    assert int(compiled) >= templates - 5  # the admin overrides may extend the admin's own


def test_no_published_secret_key_outside_production(tmp_path):
    env = {"PATH": os.environ["PATH"], "DATA_DIR": str(tmp_path), "CASEWORK_MODE": "demo"}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _manage("shell", "--no-imports", "-c", code, env=env).stdout.strip()
    assert len(first) >= 50
    assert (
        _manage("shell", "--no-imports", "-c", code, env=env).stdout.strip() == first
    )  # kept in DATA_DIR
    other = {**env, "DATA_DIR": str(tmp_path / "other")}
    assert _manage("shell", "--no-imports", "-c", code, env=other).stdout.strip() != first


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["production", "development"])
def test_load_demo_refuses_outside_demo_mode(mode):
    from django.contrib.auth.models import User

    with override_settings(CASEWORK_MODE=mode), pytest.raises(CommandError, match="演示模式"):
        call_command("load_demo")
    assert not User.objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_demo_banner_on_every_page_only_in_demo(client, users):
    assert "演示系统" in client.get("/login/").content.decode()
    client.force_login(users["registrar"])
    assert "演示系统" in client.get("/work/").content.decode()
    with override_settings(DEMO=False):
        assert "演示系统" not in client.get("/work/").content.decode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True)
def test_serve_starts_gunicorn_worker_and_scheduler_and_stops_them(tmp_path):
    port = _free_port()
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        url = f"sqlite:///{db['NAME']}"
    env_file = tmp_path / "casework.env"
    values = _documented_env(
        DATA_DIR=str(tmp_path / "data"),
        DATABASE_URL=url,
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        TASK_WORKERS="1",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    env_file.write_text(
        "".join(f"{k}={json.dumps(v, ensure_ascii=False)}\n" for k, v in values.items())
    )
    env = {"PATH": os.environ["PATH"], "BOOTSTRAP_SKIP_INSTALL": "1", "HOME": str(tmp_path)}
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            ["bash", "bin/bootstrap", "serve", str(env_file)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        if connection.vendor != "postgresql":
            assert proc.wait(timeout=120) != 0
            assert "DATABASE_URL=postgres" in log.read_text()
            return
        health: dict = {}
        status = 0
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status, body, _headers = _get(f"http://127.0.0.1:{port}/healthz")
            except OSError:
                time.sleep(0.5)
                continue
            health = json.loads(body)
            if status == 200 and health["checks"]["worker"]["ok"]:
                break
            time.sleep(0.5)
        assert proc.poll() is None, log.read_text()
        assert status == 200, log.read_text()
        assert health["status"] in ("ok", "degraded")
        assert health["mode"] == "production"
        assert health["checks"]["database"]["ok"]
        assert health["checks"]["worker"]["ok"], log.read_text()  # the scheduler's heartbeat ran
        # Plain HTTP is sent to HTTPS; behind the proxy, WhiteNoise serves collected files.
        assert _get(f"http://127.0.0.1:{port}/guide/")[0] == 301
        status, _body, headers = _get(
            f"http://127.0.0.1:{port}/static/admin/css/base.css", {"X-Forwarded-Proto": "https"}
        )
        assert status == 200
        assert "max-age" in headers.get("Cache-Control", "")
        text = log.read_text()
        for name in ("[web]", "[worker1]", "[scheduler]"):
            assert name in text
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "gunicorn still listening after stop"
