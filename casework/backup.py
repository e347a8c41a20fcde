"""Backups: the database and the files under DATA_DIR (attachments, issued letters) in one
folder with a manifest of SHA-256 sums; restore into a fresh database, then verify.

    manage.py backup [--out DIR]            # DIR/manifest.json, DIR/SHA256SUMS, db + files
    manage.py restore DIR                   # into the (empty) database DATABASE_URL names

The database is dumped with its own tool (pg_dump's custom format on PostgreSQL; SQLite's
online backup API), so a backup is consistent while the site keeps working. After a restore,
every issued letter's PDF must still hash to the SHA-256 recorded when it was issued (the
letter is frozen when issued, DESIGN §5) and the audit trail (every case's events) must hash to
the digest taken at backup time, or the restore is reported as failed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from casework.models import Event
from casework.payloads import Payload
from letters.models import Letter

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
FILES = "files.tar"


class BackupError(Exception):
    pass


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_url(db: Mapping[str, object]) -> str:
    """A libpq URL for pg_dump/pg_restore (password through PGPASSWORD, not the command line)."""
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or 5432
    user = quote(str(db.get("USER") or ""), safe="")
    return f"postgresql://{user}@{host}:{port}/{quote(str(db['NAME']), safe='')}"


def _pg_env(db: Mapping[str, object]) -> dict[str, str]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _tool(name: str) -> str:
    """Full path of PostgreSQL's client program (Debian: postgresql-client)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found: install PostgreSQL's client (postgresql-client)")
    return path


def audit_digest() -> tuple[int, str]:
    """(number of events, SHA-256 over every event in case and sequence order). The events are
    the append-only audit trail of every case (the ledger); any change shows in the digest."""

    digest = hashlib.sha256()
    count = 0
    rows = (
        Event.objects.order_by("case_id", "seq")
        .values_list(
            "case__number", "seq", "kind", "on", "from_status", "to_status", "actor_name", "payload"
        )
        .iterator(chunk_size=5000)
    )
    for row in rows:
        digest.update(json.dumps(row, default=str, sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


@dataclass
class LetterCheck:
    checked: int = 0
    bad: list[str] = field(default_factory=list)


def letters_verify() -> LetterCheck:
    """Every issued letter's stored PDF hashes to the SHA-256 recorded when it was issued."""

    result = LetterCheck()
    for number, name, expected in Letter.objects.order_by("pk").values_list(
        "number", "pdf", "sha256"
    ):
        result.checked += 1
        try:
            with default_storage.open(name, "rb") as f:
                actual = hashlib.sha256(f.read()).hexdigest()
        except OSError:
            result.bad.append(f"{number}: file missing ({name})")
            continue
        if actual != expected:
            result.bad.append(f"{number}: SHA-256 differs ({name})")
    return result


def backup_create(out: Path, *, now: datetime | None = None) -> Payload:
    """Write the database dump, the files and the manifest into `out` (must not exist), readable
    by the owner alone: the folder 0700, every file 0600 (the dump holds every applicant's
    personal data; 个人信息保护法 Art 51)."""
    previous = os.umask(0o077)  # pg_dump's and tarfile's files are created private too
    try:
        manifest = _backup_write(out, now=now)
    finally:
        os.umask(previous)
    out.chmod(0o700)
    for path in out.iterdir():
        path.chmod(0o600)
    return manifest


def _backup_write(out: Path, *, now: datetime | None) -> Payload:
    now = now or timezone.now()
    out.mkdir(parents=True, exist_ok=False, mode=0o700)
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        dump = out / "database.pgdump"
        subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={dump}",
                f"--dbname={_pg_url(db)}",
            ],
            check=True,
            env=_pg_env(db),
        )
    elif connection.vendor == "sqlite":
        dump = out / "database.sqlite3"
        source = sqlite3.connect(str(db["NAME"]))
        target = sqlite3.connect(str(dump))
        with target:
            source.backup(target)  # consistent while others write
        source.close()
        target.close()
    else:
        raise BackupError(f"unsupported database: {connection.vendor}")
    media = Path(settings.MEDIA_ROOT)
    files: dict[str, str] = {}
    with tarfile.open(out / FILES, "w") as tar:
        if media.is_dir():
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                name = path.relative_to(media).as_posix()
                files[name] = sha256_file(path)
                tar.add(path, arcname=name, recursive=False)
    events, digest = audit_digest()
    database_sha = sha256_file(dump)
    files_sha = sha256_file(out / FILES)
    manifest: Payload = {
        "format": 1,
        "created_at": now.isoformat(),
        "database": {"vendor": connection.vendor, "file": dump.name, "sha256": database_sha},
        "files_archive": {"file": FILES, "sha256": files_sha},
        "files": files,
        "audit": {"events": events, "sha256": digest},
        "letters": letters_verify().checked,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    # `sha256sum -c SHA256SUMS` checks the folder without this program.
    sums = [
        (manifest["database"]["sha256"], dump.name),
        (manifest["files_archive"]["sha256"], FILES),
    ]
    (out / SUMS).write_text("".join(f"{digest}  {name}\n" for digest, name in sums))
    return manifest


def _manifest_check(folder: Path) -> Payload:
    manifest: Payload = json.loads((folder / MANIFEST).read_text())
    for part in ("database", "files_archive"):
        path = folder / manifest[part]["file"]
        if sha256_file(path) != manifest[part]["sha256"]:
            raise BackupError(f"{path.name}: SHA-256 differs from the manifest; backup damaged")
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def app_role_grant(role: str) -> None:
    """The application role's rights of docs/DEPLOY.md §8, (re)applied: read and write on every
    table and sequence, but only SELECT and INSERT on the audit events. A restore creates the
    tables anew (pg_restore --no-privileges), owned by whoever restores, so without this the
    application role could read nothing of the restored database."""
    quoted = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        for sql in (
            f"GRANT USAGE ON SCHEMA public TO {quoted}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
            f"REVOKE UPDATE, DELETE, TRUNCATE ON casework_event FROM {quoted}",
        ):
            cursor.execute(sql)


def backup_restore(folder: Path, *, app_role: str | None = None) -> Payload:
    """Restore `folder` into the configured database (which must be empty) and MEDIA_ROOT,
    re-grant the application role (`app_role`, else DATABASE_APP_ROLE; PostgreSQL), then verify
    letters and the audit trail. Returns a report; raises BackupError on damage."""
    manifest = _manifest_check(folder)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"the backup is of {vendor}, the configured database is {connection.vendor}"
        )
    if not _database_is_empty():
        raise BackupError("the target database is not empty: restore only into a fresh database")
    dump = folder / manifest["database"]["file"]
    db = connection.settings_dict
    if vendor == "postgresql":
        subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [
                _tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={_pg_url(db)}",
                str(dump),
            ],
            check=True,
            env=_pg_env(db),
        )
    else:
        connection.close()
        source = sqlite3.connect(str(dump))
        target = sqlite3.connect(str(db["NAME"]))
        with target:
            source.backup(target)
        source.close()
        target.close()
    connection.close()  # see the restored schema
    role = app_role if app_role is not None else settings.DATABASE_APP_ROLE
    if vendor == "postgresql" and role:
        app_role_grant(role)
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / FILES) as tar:
        tar.extractall(media, filter="data")  # no absolute paths, links or devices
    bad_files = [
        name
        for name, digest in manifest["files"].items()
        if not (media / name).is_file() or sha256_file(media / name) != digest
    ]
    letters = letters_verify()
    events, digest = audit_digest()
    report = {
        "files": len(manifest["files"]),
        "files_bad": bad_files,
        "letters": letters.checked,
        "letters_bad": letters.bad,
        "events": events,
        "audit_ok": (events, digest) == (manifest["audit"]["events"], manifest["audit"]["sha256"]),
        "app_role": role if vendor == "postgresql" else "",
    }
    report["ok"] = not bad_files and not letters.bad and report["audit_ok"]
    return report


def backup_default_folder(now: datetime | None = None) -> Path:
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / stamp


__all__ = [
    "BackupError",
    "app_role_grant",
    "audit_digest",
    "backup_create",
    "backup_default_folder",
    "backup_restore",
    "letters_verify",
    "sha256_file",
]
