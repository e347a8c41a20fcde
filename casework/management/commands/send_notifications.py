"""Send the queued e-mail notifications that are due (retries included)."""

from typing import Any

from django.core.management.base import BaseCommand

from casework.notifications import notifications_send


class Command(BaseCommand):
    help = "Send queued e-mail notifications; failed ones are retried later with back-off."

    def handle(self, *args: Any, **options: Any) -> None:
        total_sent = total_failed = 0
        while True:
            sent, failed = notifications_send()
            total_sent, total_failed = total_sent + sent, total_failed + failed
            if sent + failed == 0:
                break
        self.stdout.write(f"已发送 {total_sent} 封，失败 {total_failed} 封（稍后重试）。")
