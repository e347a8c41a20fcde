"""E-mail notifications through Django's mail backends: queued in the database in the
transaction that causes them, sent by a background worker after commit (casework.tasks),
retried on failure, never sent twice by two workers.

A worker claims a notification by moving it to "sending" with a lease (`next_attempt_at` =
now + NOTIFICATION_LEASE_SECONDS). A worker that dies mid-send leaves it "sending"; once the
lease has expired another run claims it again. SMTP has a timeout (EMAIL_TIMEOUT) far shorter
than the lease, so a live worker always finishes before anyone may reclaim its message, and
the result is written only while the claim is still the writer's own (`attempts` fences it).

The wording of every e-mail is a template, templates/email/<name>.txt: the first line is the
subject, then one blank line, then the body (plain text: nothing is HTML-escaped).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone

from casework.models import Case, Notification

MAX_ATTEMPTS = 5


def notify(
    *,
    key: str,
    to: Iterable[str],
    subject: str,
    body: str,
    case: Case | None = None,
    attachment_path: str = "",
    attachment_name: str = "",
) -> Notification | None:
    """Queue an e-mail once per `key` and send it after the surrounding transaction commits."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return None
    notification, created = Notification.objects.get_or_create(
        dedupe_key=key[:200],
        defaults={
            "to": recipients,
            "subject": subject[:200],
            "body": body,
            "case": case,
            "attachment_path": attachment_path,
            "attachment_name": attachment_name,
        },
    )
    if created:
        from casework.tasks import enqueue_on_commit, send_notifications

        enqueue_on_commit(send_notifications, ids=[notification.pk])
    return notification


def email_render(template: str, context: Mapping[str, object]) -> tuple[str, str]:
    """Render templates/email/<template>.txt into (subject, body).

    Plain text: autoescape is off, so an applicant called "A&B" stays "A&B" (an e-mail is not
    HTML). `site_url` is always available. The file's final newline is not part of the body.
    """
    source = get_template(f"email/{template}.txt").template  # type: ignore[attr-defined]
    text: str = source.render(Context({"site_url": settings.SITE_URL, **context}, autoescape=False))
    subject, _blank, body = text.partition("\n\n")
    if "\n" in subject or not subject.strip():
        raise ValueError(f"email/{template}.txt: the first line is the subject, then a blank line")
    return subject, body.removesuffix("\n")


def notify_template(
    *,
    key: str,
    to: Iterable[str],
    template: str,
    context: Mapping[str, object],
    case: Case | None = None,
    attachment_path: str = "",
    attachment_name: str = "",
) -> Notification | None:
    """Queue the e-mail written in templates/email/<template>.txt once per `key` (see
    `notify`, which it returns)."""
    subject, body = email_render(template, {"case": case, **context})
    return notify(
        key=key,
        to=to,
        subject=subject,
        body=body,
        case=case,
        attachment_path=attachment_path,
        attachment_name=attachment_name,
    )


def _claim(ids: list[int] | None, now: datetime) -> list[Notification]:
    """Mark due notifications as sending, in a short transaction of their own: pending ones
    whose time has come, and "sending" ones whose lease has expired (their worker died)."""
    lease = timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    with transaction.atomic():
        qs = Notification.objects.select_for_update(skip_locked=True).filter(models_q_due(now))
        if ids is not None:
            qs = qs.filter(pk__in=ids)
        claimed = list(qs.order_by("pk")[:BATCH])
        for n in claimed:
            n.status = Notification.Status.SENDING
            n.attempts += 1
            n.next_attempt_at = now + lease
            n.save(update_fields=["status", "attempts", "next_attempt_at"])
    return claimed


BATCH = 50


def models_q_due(now: datetime) -> Q:
    pending = Q(status=Notification.Status.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    lease_expired = Q(status=Notification.Status.SENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    return pending | lease_expired


def _finish(notification: Notification, **values: Any) -> bool:
    """Write the outcome only if the claim is still ours (no one reclaimed it meanwhile)."""
    return bool(
        Notification.objects.filter(
            pk=notification.pk,
            status=Notification.Status.SENDING,
            attempts=notification.attempts,
        ).update(**values)
    )


def _attachment_bytes(path: str) -> bytes:
    """An absolute path is a local file; anything else is a name in Django's default storage
    (shared by every app server and worker, docs/DEPLOY.md §3)."""
    if Path(path).is_absolute():
        return Path(path).read_bytes()

    with default_storage.open(path, "rb") as f:
        return bytes(f.read())


def notifications_send(
    *, ids: list[int] | None = None, now: datetime | None = None
) -> tuple[int, int]:
    """Send what is due; return (sent, failed). A failure is retried later with back-off;
    after MAX_ATTEMPTS it stays failed for a person to look at."""
    now = now or timezone.now()
    sent = failed = 0
    for notification in _claim(ids, now):
        message = EmailMessage(
            subject=notification.subject,
            body=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=list(notification.to),
        )
        if notification.attachment_path:
            message.attach(
                notification.attachment_name or Path(notification.attachment_path).name,
                _attachment_bytes(notification.attachment_path),
                "application/pdf",
            )
        try:
            message.send()  # SMTP: EMAIL_TIMEOUT bounds every socket operation
        except Exception as exc:  # any backend error: keep the message and retry
            failed += 1
            retry = notification.attempts < MAX_ATTEMPTS
            _finish(
                notification,
                last_error=f"{type(exc).__name__}: {exc}"[:2000],
                status=Notification.Status.PENDING if retry else Notification.Status.FAILED,
                next_attempt_at=now + timedelta(minutes=5 * 2 ** (notification.attempts - 1))
                if retry
                else None,
            )
        else:
            sent += 1
            _finish(notification, status=Notification.Status.SENT, sent_at=timezone.now())
    return sent, failed
