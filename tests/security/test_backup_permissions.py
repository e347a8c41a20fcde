"""Issue 22: backups were world-readable, and a restore left the application role without
grants (pg_restore --no-privileges creates the tables afresh, owned by whoever restores)."""

import os
import stat
import subprocess
import sys
import uuid
from datetime import date

from django.core.management import call_command
from django.db import connection

import pytest

from letters.services import letter_issue
from tests.casework.test_backup import ROOT, _fresh_database
from tests.conftest import NOW


@pytest.fixture
def issued(receive_flow, act, users):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    return letter_issue(
        number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_readable_by_its_owner_alone(tmp_path, issued):
    os.umask(0o022)  # the usual umask: files 0644 unless the backup sees to it
    folder = tmp_path / "backup"
    call_command("backup", out=folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = sorted(folder.iterdir())
    assert {p.name for p in files} >= {"manifest.json", "SHA256SUMS", "files.tar"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


@pytest.mark.django_db(transaction=True)
def test_restore_grants_the_application_role_again(tmp_path, issued):
    folder = tmp_path / "backup"
    call_command("backup", out=folder)
    url, drop = _fresh_database(tmp_path)
    if connection.vendor == "sqlite":
        # SQLite has no roles (DEPLOY.md §8): the restore goes through, verified, and grants
        # nothing, whatever DATABASE_APP_ROLE says; the file's own mode guards it.
        env = {
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "casework.settings",
            "DATABASE_URL": url,
            "DATA_DIR": str(tmp_path / "restored"),
            "MEDIA_ROOT": str(tmp_path / "restored" / "media"),
            "DATABASE_APP_ROLE": "casework_app",
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "restore", str(folder)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert "casework_app" not in result.stdout
        return
    role = f"casework_app_{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    admin = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/postgres"
    subprocess.run(["psql", admin, "-qc", f"CREATE ROLE {role} NOLOGIN"], check=True)
    try:
        env = {
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "casework.settings",
            "DATABASE_URL": url,
            "DATA_DIR": str(tmp_path / "restored"),
            "MEDIA_ROOT": str(tmp_path / "restored" / "media"),
            "DATABASE_APP_ROLE": role,
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "restore", str(folder)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert role in result.stdout

        def as_role(sql: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                ["psql", url, "-v", "ON_ERROR_STOP=1", "-qtAc", f"SET ROLE {role}; {sql}"],
                capture_output=True,
                text=True,
            )

        # The application reads and writes the restored tables ...
        read = as_role("SELECT count(*) FROM casework_case")
        assert read.returncode == 0, read.stderr
        assert read.stdout.strip() == "1"
        assert as_role("UPDATE auth_group SET name = name").returncode == 0
        assert as_role("SELECT nextval('casework_event_id_seq')").returncode == 0
        # ... but still cannot rewrite the ledger (DEPLOY.md §8).
        for sql in ("UPDATE casework_event SET kind = kind", "TRUNCATE casework_event CASCADE"):
            refused = as_role(sql)
            assert refused.returncode != 0
            assert "permission denied" in refused.stderr
    finally:
        drop()
        subprocess.run(["psql", admin, "-qc", f"DROP ROLE IF EXISTS {role}"], check=True)
