"""manage.py backup / restore: restore into a fresh database, then every issued letter's
SHA-256 and the audit trail verify; a damaged backup or a changed letter is reported."""

import os
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

from django.core.management import call_command
from django.db import connection

import pytest

from letters.models import Letter
from letters.services import letter_issue
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parents[2]


def _fresh_database(tmp_path: Path) -> tuple[str, object]:
    """A new, empty database of the same kind as the test database; returns (URL, cleanup)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    name = f"{db['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/postgres"
    subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)

    def drop() -> None:
        subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)

    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}", drop


def _restore(folder: Path, url: str, media: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "casework.settings",
        "DATABASE_URL": url,
        "DATA_DIR": str(media.parent),
        "MEDIA_ROOT": str(media),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def issued(receive_flow, act, users):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    return letter_issue(
        number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_fresh_database_verifies(tmp_path, issued):
    folder = tmp_path / "backup"
    call_command("backup", out=folder)
    assert (folder / "SHA256SUMS").read_text().count("\n") == 2
    url, drop = _fresh_database(tmp_path)
    try:
        result = _restore(folder, url, tmp_path / "restored" / "media")
        assert result.returncode == 0, result.stderr
        assert "文书 1 份" in result.stdout
        assert "校验通过" in result.stdout
        # The restored database refuses a second restore on top of itself.
        again = _restore(folder, url, tmp_path / "restored" / "media")
        assert again.returncode != 0
        assert "not empty" in again.stderr
    finally:
        drop()


@pytest.mark.django_db(transaction=True)
def test_restore_reports_a_letter_whose_pdf_changed(tmp_path, issued):
    letter = Letter.objects.get(pk=issued.pk)
    Path(letter.pdf.path).write_bytes(b"%PDF-1.7 not the issued letter")
    folder = tmp_path / "backup"
    call_command("backup", out=folder)
    url, drop = _fresh_database(tmp_path)
    try:
        result = _restore(folder, url, tmp_path / "restored" / "media")
    finally:
        drop()
    assert result.returncode != 0
    assert f"{letter.number}: SHA-256 differs" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path, issued):
    folder = tmp_path / "backup"
    call_command("backup", out=folder)
    with (folder / "files.tar").open("r+b") as f:
        f.seek(600)
        f.write(b"X")
    result = _restore(folder, f"sqlite:///{tmp_path / 'untouched.sqlite3'}", tmp_path / "m")
    assert result.returncode != 0
    assert "backup damaged" in result.stderr
    assert not (tmp_path / "m").exists()
