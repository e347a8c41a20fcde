"""Check the hash chains of the audit ledger (审计链校验).

    manage.py verify_audit                       every chain; prints today's anchor
    manage.py verify_audit --anchor HASH@ID      also re-check an anchor published earlier

Exits with status 1 and names the first broken link of each broken chain (case number, seq,
what differs), or when the anchor does not match (events removed from the end of a chain).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.ledger import audit_anchor, chains_verify
from casework.management.progress import ProgressBar


class Command(BaseCommand):
    help = "Verify every case's audit hash chain (and optionally an anchor published earlier)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--anchor", help="an anchor from the digest or the log: HASH@EVENT_ID")

    def handle(self, *args: Any, anchor: str | None, **options: Any) -> None:
        broken = chains_verify(progress=ProgressBar("校验审计链"))
        for link in broken:
            self.stderr.write(f"审计链断裂：{link}")
        mismatch = False
        if anchor:
            digest, _, last_id = anchor.partition("@")
            if not last_id.isdigit():
                raise CommandError("锚点格式应为 哈希@事件编号。")
            then = audit_anchor(upto_id=int(last_id))
            mismatch = then.digest != digest.strip()
            if mismatch:
                self.stderr.write(
                    f"锚点不符：截至事件 {last_id} 重新计算得 {then.digest}，"
                    f"公布值为 {digest}（链尾事件被删除或改写）"
                )
        now = audit_anchor()
        self.stdout.write(f"当前锚点 {now}（{now.chains} 条案件链）")
        if broken or mismatch:
            raise CommandError(f"审计链校验失败：{len(broken)} 条链断裂。", returncode=1)
        self.stdout.write("审计链完整。")
