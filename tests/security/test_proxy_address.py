"""Issue 22, finding 2: with the documented proxy set-up every caller was one address.
TRUSTED_PROXY_HEADER was in neither docs/DEPLOY.md nor docs/production.env.example, and the
nginx example did not set the header; so 5 wrong passwords from a stranger locked the officer
out at his own desk, 30 tracking attempts closed /track/ to every applicant for 15 minutes and
10 posted forms closed /apply/ for an hour.

Here a real nginx, configured with the `location /` block of docs/DEPLOY.md, runs in front of
gunicorn started with docs/production.env.example (PostgreSQL; on SQLite the demo mode, which
refuses nothing of this) on loopback ports. The clients' sockets are bound to different
loopback source addresses (127.0.0.2, 127.0.0.3, …), so nginx sees different $remote_addr
values, as it would see different callers. Each limit holds back the one address only."""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group, User
from django.db import connection

import pytest

from casework.choices import Role
from tests.casework.test_production import ROOT, _documented_env

DEPLOY = ROOT / "docs" / "DEPLOY.md"
STRANGER, OFFICER, APPLICANT, OTHER = "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _documented_location() -> list[str]:
    """The proxy_set_header lines of the HTTPS server's `location /` in docs/DEPLOY.md."""
    text = DEPLOY.read_text()
    block = text[text.index("listen 443") :]
    block = block[block.index("location / {") : block.index("}")]
    return [line.split("#")[0].strip() for line in block.splitlines() if "proxy_set_header" in line]


def test_the_deployment_documents_set_and_name_the_address_header():
    assert "proxy_set_header X-Real-IP $remote_addr;" in _documented_location()
    env = (ROOT / "docs" / "production.env.example").read_text()
    assert "\nTRUSTED_PROXY_HEADER=HTTP_X_REAL_IP\n" in env
    assert "TRUSTED_PROXY_HEADER" in DEPLOY.read_text()


class Browser:
    """A client whose connections leave from one loopback address; it keeps its cookies
    (all of them: the documented __Host-/Secure cookies too, TLS being nginx's part)."""

    def __init__(self, port: int, source: str) -> None:
        self.port, self.source = port, source
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None):
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.source, 0)
        )
        origin = "https://127.0.0.1"  # nginx passes `Host $host`: the name, without the port
        headers = {"Origin": origin, "Referer": origin + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read().decode(errors="replace")
        finally:
            conn.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";")[0].partition("=")
            self.cookies[name.strip()] = value
        return response.status, data

    def post_form(self, path: str, form: dict[str, str]):
        status, html = self.request("GET", path)
        assert status == 200, (path, status, html[:500])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token, html[:500]
        return self.request("POST", path, {"csrfmiddlewaretoken": token.group(1), **form})


def _wait_for(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}: {log.read_text()}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Production serves collected static files: collected once for this module's servers."""
    return tmp_path_factory.mktemp("static")


@pytest.fixture
def behind_nginx(transactional_db, tmp_path, static_root):
    """nginx on one loopback port in front of gunicorn on another, both the test's own
    processes (not daemons), stopped at the end. Yields nginx's port."""
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    assert nginx, "nginx is missing: apt-get install nginx (bin/bootstrap's APT_PACKAGES)"
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        url = f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        mode = "production"
    else:
        url, mode = f"sqlite:///{db['NAME']}", "demo"  # production refuses SQLite
    env = _documented_env(
        CASEWORK_MODE=mode,
        DEBUG="0",
        DATABASE_URL=url,
        DATA_DIR=str(tmp_path / "data"),
        ALLOWED_HOSTS="127.0.0.1",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        WEB_CONCURRENCY="2",
        ACCESS_LOG="",
        HOME=str(tmp_path),
        DJANGO_SETTINGS_MODULE="casework.settings",
        STATIC_ROOT=str(static_root),
    )
    assert env["TRUSTED_PROXY_HEADER"] == "HTTP_X_REAL_IP"  # as documented
    for command in (["createcachetable"], ["collectstatic", "--noinput", "-v0"]):
        if command[0] == "collectstatic" and (mode != "production" or any(static_root.iterdir())):
            continue
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
    app_port, proxy_port = _free_port(), _free_port()
    app_log = tmp_path / "gunicorn.log"
    with app_log.open("w") as out:
        app = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "casework.wsgi", "--config",
             "python:casework.gunicorn_conf", "--bind", f"127.0.0.1:{app_port}"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    proxy = None
    try:
        _wait_for(app_port, app, app_log)
        temp = tmp_path / "nginx"
        temp.mkdir()
        # nginx here speaks plain HTTP on loopback; in production TLS ends in nginx, which
        # then sends X-Forwarded-Proto https ($scheme): the same header is set here by hand.
        headers = "\n".join(
            "            " + line.replace("$scheme", "https") for line in _documented_location()
        )
        (temp / "nginx.conf").write_text(
            f"""
daemon off;
master_process off;
worker_processes 1;
pid {temp}/nginx.pid;
error_log {temp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    upstream casework {{ server 127.0.0.1:{app_port}; }}
    server {{
        listen 127.0.0.1:{proxy_port};
        location / {{
            proxy_pass http://casework;
{headers}
        }}
    }}
}}
"""
        )
        proxy_log = temp / "stderr.log"
        with proxy_log.open("w") as out:
            proxy = subprocess.Popen(
                [nginx, "-p", str(temp), "-c", str(temp / "nginx.conf")],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_for(proxy_port, proxy, proxy_log)
        yield proxy_port
    finally:
        if proxy is not None:
            _stop(proxy)
        _stop(app)


def _officer() -> User:
    user = User.objects.create(
        username="registrar",
        # The server's own hasher (the test settings hash with MD5, which it does not read).
        password=PBKDF2PasswordHasher().encode("pw-registrar-2026", "saltsaltsalt"),
    )
    user.groups.add(Group.objects.get_or_create(name=Role.REGISTRAR)[0])
    return user


def test_a_strangers_wrong_passwords_do_not_lock_the_officer_out_at_his_desk(behind_nginx):
    _officer()
    stranger = Browser(behind_nginx, STRANGER)
    for attempt in range(1, 6):
        status, html = stranger.post_form("/login/", {"username": "registrar", "password": "x"})
        # The form again with its error; the fifth failure is answered with the lock-out.
        assert status == (429 if attempt == 5 else 200), attempt
    # The stranger's address is locked out now, even with the right password ...
    status, html = stranger.post_form(
        "/login/", {"username": "registrar", "password": "pw-registrar-2026"}
    )
    assert status == 429
    assert "登录失败次数过多" in html
    # ... the officer at his own desk (another address behind the same nginx) is not.
    officer = Browser(behind_nginx, OFFICER)
    status, _html = officer.post_form(
        "/login/", {"username": "registrar", "password": "pw-registrar-2026"}
    )
    assert status == 302
    assert any(name.endswith("sessionid") for name in officer.cookies)


def test_tracking_and_application_limits_hold_back_one_address_only(behind_nginx):
    flooder, applicant = Browser(behind_nginx, APPLICANT), Browser(behind_nginx, OTHER)
    look_up = {"number": "2026-0001", "code": "ABCD-EFGH"}
    for attempt in range(30):
        status, _html = flooder.post_form("/track/", look_up | {"number": f"2026-{attempt:04d}"})
        assert status == 400, attempt  # wrong: the same answer for unknown and wrong
    status, html = flooder.post_form("/track/", look_up)
    assert status == 429
    assert "错误次数过多" in html
    status, html = applicant.post_form("/track/", look_up)
    assert status == 400  # an ordinary "not correct", not a pause
    assert "错误次数过多" not in html

    for _ in range(10):
        status, _html = flooder.post_form("/apply/", {})
        assert status != 429
    status, html = flooder.post_form("/apply/", {})
    assert status == 429
    status, html = applicant.post_form("/apply/", {})
    assert status != 429
