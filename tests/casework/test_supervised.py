"""The production command keeps itself running (issue 22, point 8): under `bin/bootstrap
serve`, supervisord starts again a task worker, the scheduler or gunicorn killed with
kill -9, while the site keeps answering; SIGTERM still stops everything (PostgreSQL; on
SQLite the command refuses to start)."""

import json
import os
import signal
import socket
import subprocess
import time

from django.db import connection

import pytest

from tests.casework.test_production import ROOT, _documented_env, _free_port, _get


def _session_processes(sid: int) -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process of the serve command's session."""
    out = subprocess.run(
        ["ps", "-ww", "-o", "pid=,ppid=,args=", "-s", str(sid)], capture_output=True, text=True
    ).stdout
    rows = (line.split(None, 2) for line in out.splitlines() if line.strip())
    return {int(pid): (int(ppid), args) for pid, ppid, args in rows}


def _pid_of(sid: int, needle: str) -> int | None:
    """The program supervisord runs whose command line holds `needle` (its direct child)."""
    processes = _session_processes(sid)
    supervisor = next((p for p, (_pp, a) in processes.items() if "supervisord" in a), None)
    for pid, (ppid, args) in processes.items():
        if needle in args and (needle == "supervisord" or ppid == supervisor):
            return pid
    return None


@pytest.mark.django_db(transaction=True)
def test_serve_restarts_a_killed_worker_scheduler_and_web_process(tmp_path):
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
        WEB_CONCURRENCY="1",
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
    health_url = f"http://127.0.0.1:{port}/healthz"
    try:
        if connection.vendor != "postgresql":
            assert proc.wait(timeout=120) != 0
            assert "DATABASE_URL=postgres" in log.read_text()
            return
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status, body, _headers = _get(health_url)
            except OSError:
                time.sleep(0.5)
                continue
            if status == 200 and json.loads(body)["checks"]["worker"]["ok"]:
                break
            time.sleep(0.5)
        assert proc.poll() is None, log.read_text()
        assert _pid_of(proc.pid, "supervisord") is not None, log.read_text()
        for name, needle in (
            ("worker1", "manage.py db_worker"),
            ("scheduler", "manage.py scheduler"),
            ("web", "gunicorn casework.wsgi"),
        ):
            before = _pid_of(proc.pid, needle)
            assert before is not None, (needle, _session_processes(proc.pid))
            os.kill(before, signal.SIGKILL)
            answered = []
            after = None
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                after = _pid_of(proc.pid, needle)
                if name != "web":  # the site keeps answering while a worker is down
                    answered.append(_get(health_url)[0])
                if after not in (None, before):
                    break
                time.sleep(0.5)
            assert after not in (None, before), (name, log.read_text())
            assert answered == [200] * len(answered), answered
            assert proc.poll() is None, log.read_text()
        # the new gunicorn serves
        deadline = time.monotonic() + 60
        status = 0
        while time.monotonic() < deadline and status != 200:
            try:
                status = _get(health_url)[0]
            except OSError:
                time.sleep(0.5)
        assert status == 200, log.read_text()
        text = log.read_text()
        for name in ("web", "worker1", "scheduler"):
            assert f"exited: {name} (terminated by SIGKILL" in text, text
            assert f"[{name}] " in text
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    left = {p: a for p, (_pp, a) in _session_processes(proc.pid).items() if "<defunct>" not in a}
    assert left == {}, "processes left after SIGTERM"
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "gunicorn still listening after stop"
