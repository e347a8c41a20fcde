"""Render any kind of letter from a demo case to a PDF file. The case is built through the real
services in a transaction that is rolled back: nothing is stored or numbered.

manage.py letter_sample reply.granted --out /tmp/granted.pdf
manage.py letter_sample reply.partial --items --out /tmp/items.pdf   # three items, one reply
manage.py letter_sample --list
manage.py letter_sample reply.partial --files "$(seq -f '《会议纪要第%g号》' 30)" --out /tmp/x.pdf
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from letters.kinds import KINDS
from letters.registry import LETTERS
from letters.sample import sample_pdf


class Command(BaseCommand):
    help = "Render a letter of any kind from demo data into a PDF file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", nargs="?")
        parser.add_argument("--out", type=Path)
        parser.add_argument("--list", action="store_true", help="list the kinds")
        parser.add_argument(
            "--files",
            help="the attachment list (附件说明) instead of the sample's: one name a line, "
            "or names separated by ；",
        )
        parser.add_argument(
            "--items", action="store_true", help="a request of three items, answered item by item"
        )

    def handle(
        self,
        *args: Any,
        kind: str | None,
        out: Path | None,
        list: bool,
        files: str | None = None,
        items: bool = False,
        **options: Any,
    ) -> None:
        if list or not kind:
            for declared in LETTERS.values():
                self.stdout.write(f"{declared.key:40s} {declared.kind.label}")
            return
        if kind not in LETTERS:
            raise CommandError(f"未知的文书类型：{kind}。用 --list 查看全部类型。")
        if out is None:
            raise CommandError("请用 --out 指定输出的 PDF 文件。")
        if files is not None:
            files = files.replace("\\n", "\n")
        if items and not LETTERS[kind].is_reply:
            raise CommandError("--items 只适用于答复书（reply.*）。")
        out.write_bytes(sample_pdf(KINDS[kind], files=files, items=items))
        self.stdout.write(f"{out}（{out.stat().st_size:,} 字节）")
