"""Import applications sent to the organ's application mailbox (电子邮件渠道).

    manage.py import_mail --dir /path/to/eml-folder
    manage.py import_mail --imap            (IMAP_HOST, IMAP_USER, IMAP_PASSWORD, IMAP_FOLDER)

Each message becomes an application waiting in `received` for the office to confirm receipt
with the applicant (Art 31: the date of mutual confirmation is the date of receipt). A
message is never imported twice (its Message-ID, or the hash of its bytes, is unique).
Attachments that pass the allow-list are kept; the others are named in the description.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import imaplib
import os
from datetime import datetime
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from casework.attachments import attachment_check
from casework.choices import ApplicantCategory, Channel
from casework.errors import CaseworkError
from casework.lifecycle import SYSTEM
from casework.management.progress import ProgressBar
from casework.models import Case, Organ
from workflows.services import case_receive


def message_key(raw: bytes, message: EmailMessage) -> str:
    message_id = (message.get("Message-ID") or "").strip()
    return message_id[:300] if message_id else "sha256:" + hashlib.sha256(raw).hexdigest()


def _arrived(message: EmailMessage) -> datetime:
    try:
        moment = parsedate_to_datetime(message.get("Date", ""))
    except (TypeError, ValueError):
        return timezone.now()
    if timezone.is_naive(moment) or moment > timezone.now():
        return timezone.now()
    return moment


class Command(BaseCommand):
    help = "Import e-mailed applications (a folder of .eml files or an IMAP mailbox) as cases awaiting confirmation."

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--dir", type=Path)
        source.add_argument("--imap", action="store_true")

    def handle(self, *args: Any, dir: Path | None, imap: bool, **options: Any) -> None:
        organ = Organ.objects.order_by("pk").first()
        if organ is None:
            raise CommandError("尚未设置机关，请先运行 load_demo 或在管理后台添加机关。")
        messages = list(self._from_dir(dir) if dir else self._from_imap())
        progress = ProgressBar("导入邮件")
        imported = skipped = 0
        for n, raw in enumerate(messages, 1):
            message = email.message_from_bytes(raw, policy=email.policy.default)
            assert isinstance(message, EmailMessage)  # noqa: S101 - the default policy yields EmailMessage
            key = message_key(raw, message)
            if Case.objects.filter(source_message_id=key).exists():
                skipped += 1
            else:
                self._import(organ, message, key)
                imported += 1
            progress(n, len(messages))
        self.stdout.write(f"新导入 {imported} 封，已导入过而跳过 {skipped} 封。")

    def _from_dir(self, folder: Path) -> Any:
        if not folder.is_dir():
            raise CommandError(f"目录不存在：{folder}")
        for path in sorted(folder.glob("*.eml")):
            yield path.read_bytes()

    def _from_imap(self) -> Any:
        host, user, password = (
            os.environ.get("IMAP_HOST"),
            os.environ.get("IMAP_USER"),
            os.environ.get("IMAP_PASSWORD"),
        )
        if not (host and user and password):
            raise CommandError(
                "请设置环境变量 IMAP_HOST、IMAP_USER、IMAP_PASSWORD（可选 IMAP_FOLDER）。"
            )
        with imaplib.IMAP4_SSL(host) as client:
            client.login(user, password)
            client.select(os.environ.get("IMAP_FOLDER", "INBOX"), readonly=True)
            _status, data = client.search(None, "ALL")
            for number in data[0].split():
                _status, parts = client.fetch(number, "(RFC822)")
                for part in parts:
                    if isinstance(part, tuple):
                        yield part[1]

    def _import(self, organ: Organ, message: EmailMessage, key: str) -> None:
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
            arrived_at=_arrived(message),
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
