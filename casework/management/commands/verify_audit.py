"""Check the hash chains of the audit ledger (审计链校验).

    manage.py verify_audit                       every chain, and the latest published anchor
    manage.py verify_audit --anchor HASH@ID      against this anchor instead ([@ISO-TIME] too)

The latest published anchor is the last line of the anchor file (casework/anchors.py), which
the daily digest appends to. Exits with status 1 and names the first broken link of each
broken chain (case number, seq, what differs), when the anchor does not match (events removed
from the end of a chain), or when an event appended after the anchor carries an entry time
from before it (back-dated).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.anchors import anchor_file, anchor_latest_published, anchor_parse
from casework.ledger import Anchor, audit_anchor, chains_verify, entered_before_anchor
from casework.management.progress import ProgressBar


class Command(BaseCommand):
    help = "Verify every case's audit hash chain and the latest published anchor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor", help="an anchor from the digest or the log: HASH@EVENT_ID[@ISO-TIME]"
        )

    def handle(self, *args: Any, anchor: str | None, **options: Any) -> None:
        broken = chains_verify(progress=ProgressBar("校验审计链"))
        for link in broken:
            self.stderr.write(f"审计链断裂：{link}")
        published = self._anchor(anchor)
        mismatch = False
        if published is not None:
            then = audit_anchor(upto_id=published.last_id)
            mismatch = then.digest != published.digest
            if mismatch:
                self.stderr.write(
                    f"锚点不符：截至事件 {published.last_id} 重新计算得 {then.digest}，"
                    f"公布值为 {published.digest}（链尾事件被删除或改写）"
                )
            late = entered_before_anchor(published)
            for link in late:
                self.stderr.write(f"审计链断裂：{link}")
            broken += late
            if not mismatch and not late:
                self.stdout.write(f"与公布的锚点 {published} 相符。")
        now = audit_anchor()
        self.stdout.write(f"当前锚点 {now}（{now.chains} 条案件链）")
        if broken or mismatch:
            raise CommandError(f"审计链校验失败：{len(broken)} 条链断裂。", returncode=1)
        self.stdout.write("审计链完整。")

    def _anchor(self, given: str | None) -> Anchor | None:
        if given:
            try:
                return anchor_parse(given)
            except ValueError:
                raise CommandError("锚点格式应为 哈希@事件编号[@时间]。") from None
        published = anchor_latest_published()
        if published is None:
            self.stdout.write(f"尚无公布的锚点（{anchor_file()}）。")
        return published
