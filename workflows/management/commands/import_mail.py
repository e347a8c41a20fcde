"""Import applications sent to the organ's application mailbox (电子邮件渠道).

    manage.py import_mail --dir /path/to/eml-folder
    manage.py import_mail --imap            (IMAP_HOST, IMAP_USER, IMAP_PASSWORD, IMAP_FOLDER)

Each message becomes an application waiting in `received` for the office to confirm receipt
with the applicant (Art 31: the date of mutual confirmation is the date of receipt). A
message is never imported twice (its Message-ID, or the hash of its bytes, is unique).
Attachments that pass the allow-list are kept; the others are named in the description.

The arrival time is when the organ's server received the message: the IMAP INTERNALDATE, or the
.eml file's modification time — never the sender's Date header, which the sender writes and
which would set the case year. A message that cannot be imported (malformed headers, an
arrival in a closed year, ...) is quarantined with its reason and the import goes on: it is
copied with a `.reason.txt` into DATA_DIR/mail-quarantine/ (a --dir file is moved there; an
IMAP message is flagged \\Flagged) and is not tried again.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import imaplib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from casework.attachments import attachment_check
from casework.choices import ApplicantCategory, Channel
from casework.errors import CaseworkError
from casework.lifecycle import SYSTEM
from casework.management.progress import ProgressBar
from casework.models import Case, Organ
from casework.selectors import organ_the_one
from workflows.services import case_receive


def message_key(raw: bytes, message: EmailMessage) -> str:
    message_id = (message.get("Message-ID") or "").strip()
    return message_id[:300] if message_id else "sha256:" + hashlib.sha256(raw).hexdigest()


@dataclass
class Incoming:
    """One message as the organ's server holds it."""

    raw: bytes
    arrived_at: datetime  # when the organ's server received it
    label: str  # the file name or the IMAP UID, for the report
    path: Path | None = None
    imap_uid: str | None = None


_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')


def internaldate(fetch_line: bytes) -> datetime | None:
    """The INTERNALDATE of an IMAP FETCH response line (RFC 3501: the server's receipt time)."""
    found = _INTERNALDATE.search(fetch_line)
    if found is None:
        return None
    return datetime.strptime(found.group(1).decode("ascii").strip(), "%d-%b-%Y %H:%M:%S %z")


def _not_later_than_now(moment: datetime) -> datetime:
    return min(moment, timezone.now())


def quarantine_dir() -> Path:
    return Path(settings.DATA_DIR) / "mail-quarantine"


def _quarantine_name(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:32]


class Command(BaseCommand):
    help = "Import e-mailed applications (a folder of .eml files or an IMAP mailbox) as cases awaiting confirmation."

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--dir", type=Path)
        source.add_argument("--imap", action="store_true")

    def handle(self, *args: Any, dir: Path | None, imap: bool, **options: Any) -> None:
        organ = organ_the_one()
        if organ is None:
            raise CommandError("尚未设置机关，请先运行 load_demo 或在管理后台添加机关。")
        messages = list(self._from_dir(dir) if dir else self._from_imap())
        progress = ProgressBar("导入邮件")
        imported = skipped = 0
        quarantined: list[Incoming] = []
        for n, incoming in enumerate(messages, 1):
            if (quarantine_dir() / f"{_quarantine_name(incoming.raw)}.eml").exists():
                skipped += 1  # quarantined by an earlier run
                progress(n, len(messages))
                continue
            try:
                message = email.message_from_bytes(incoming.raw, policy=email.policy.default)
                assert isinstance(message, EmailMessage)  # noqa: S101 - the default policy yields EmailMessage
                key = message_key(incoming.raw, message)
                if Case.objects.filter(source_message_id=key).exists():
                    skipped += 1
                else:
                    self._import(organ, message, key, incoming.arrived_at)
                    imported += 1
            # One bad message must not stop the others: whatever it raises is its reason.
            except Exception as exc:
                reason = (
                    exc.message
                    if isinstance(exc, CaseworkError)
                    else f"{type(exc).__name__}: {exc}"
                )
                self._quarantine(incoming, reason)
                quarantined.append(incoming)
            progress(n, len(messages))
        if imap and quarantined:
            self._imap_flag([q.imap_uid for q in quarantined if q.imap_uid])
        self.stdout.write(
            f"新导入 {imported} 封，已导入过而跳过 {skipped} 封，隔离 {len(quarantined)} 封。"
        )

    def _quarantine(self, incoming: Incoming, reason: str) -> None:
        folder = quarantine_dir()
        folder.mkdir(parents=True, exist_ok=True)
        name = _quarantine_name(incoming.raw)
        (folder / f"{name}.reason.txt").write_text(
            f"来源：{incoming.label}\n到达时间：{incoming.arrived_at.isoformat()}\n"
            f"隔离时间：{timezone.now().isoformat()}\n原因：{reason}\n",
            encoding="utf-8",
        )
        (folder / f"{name}.eml").write_bytes(incoming.raw)
        if incoming.path is not None:
            incoming.path.unlink()  # moved: the copy in quarantine is the one kept
        self.stderr.write(f"已隔离 {incoming.label}：{reason}（{folder / name}.eml）")

    def _from_dir(self, folder: Path) -> Iterator[Incoming]:
        if not folder.is_dir():
            raise CommandError(f"目录不存在：{folder}")
        for path in sorted(folder.glob("*.eml")):
            # The time the file was written into the folder by the organ's mail server.
            mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
            yield Incoming(
                raw=path.read_bytes(),
                arrived_at=_not_later_than_now(mtime),
                label=path.name,
                path=path,
            )

    def _imap_connect(self) -> imaplib.IMAP4_SSL:
        host, user, password = (
            os.environ.get("IMAP_HOST"),
            os.environ.get("IMAP_USER"),
            os.environ.get("IMAP_PASSWORD"),
        )
        if not (host and user and password):
            raise CommandError(
                "请设置环境变量 IMAP_HOST、IMAP_USER、IMAP_PASSWORD（可选 IMAP_FOLDER）。"
            )
        client = imaplib.IMAP4_SSL(host)
        client.login(user, password)
        return client

    def _from_imap(self) -> Iterator[Incoming]:
        client = self._imap_connect()
        try:
            client.select(os.environ.get("IMAP_FOLDER", "INBOX"), readonly=True)
            _status, data = client.uid("SEARCH", "ALL")
            for uid in data[0].split() if data and data[0] else []:
                _status, parts = client.uid("FETCH", uid.decode(), "(INTERNALDATE RFC822)")
                for part in parts:
                    if isinstance(part, tuple):
                        arrived = internaldate(part[0]) or timezone.now()
                        yield Incoming(
                            raw=part[1],
                            arrived_at=_not_later_than_now(arrived),
                            label=f"IMAP UID {uid.decode()}",
                            imap_uid=uid.decode(),
                        )
        finally:
            client.logout()

    def _imap_flag(self, uids: list[str]) -> None:
        """Flag the quarantined messages in the mailbox so that the office sees them."""
        client = self._imap_connect()
        try:
            client.select(os.environ.get("IMAP_FOLDER", "INBOX"))
            for uid in uids:
                client.uid("STORE", uid, "+FLAGS", "(\\Flagged)")
        finally:
            client.logout()

    def _import(self, organ: Organ, message: EmailMessage, key: str, arrived_at: datetime) -> None:
        name, address = parseaddr(str(message.get("From", "")))
        body_part = message.get_body(preferencelist=("plain", "html"))
        body = body_part.get_content() if body_part is not None else ""
        uploads, refused = [], []
        for part in message.iter_attachments():
            filename = part.get_filename() or "attachment"
            payload = part.get_payload(decode=True)
            upload = SimpleUploadedFile(filename, payload if isinstance(payload, bytes) else b"")
            try:
                attachment_check(upload)
            except CaseworkError as exc:
                refused.append(exc.message)
                continue
            uploads.append(("other", upload))
        description = str(body).strip()[:5000]
        if refused:
            description += "\n\n未保存的附件：" + "；".join(refused)
        subject = str(message.get("Subject") or "").strip()[:300] or "（电子邮件申请，未写主题）"
        case_receive(
            organ=organ,
            actor=SYSTEM,
            channel=Channel.EMAIL,
            arrived_at=arrived_at,
            applicant={
                "category": ApplicantCategory.NATURAL_PERSON,
                "name": (name or address or "未署名")[:200],
                "email": address,
            },
            request={"subject": subject, "description": description},
            attachments=uploads,
            source_message_id=key,
            applicant_incomplete=True,
            notify_office=True,
        )
