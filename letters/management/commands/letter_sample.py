"""Render any kind of letter from demo data to a PDF file (nothing is stored or numbered).

manage.py letter_sample reply.granted --out /tmp/granted.pdf
manage.py letter_sample --list
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from letters.context import build_letter_context
from letters.kinds import KINDS
from letters.rendering import html_to_pdf, render_letter_html, seal_data_uri
from letters.sample import sample_case
from letters.services import current_wording


class Command(BaseCommand):
    help = "Render a letter of any kind from demo data into a PDF file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", nargs="?")
        parser.add_argument("--out", type=Path)
        parser.add_argument("--list", action="store_true", help="list the kinds")

    def handle(
        self, *args: Any, kind: str | None, out: Path | None, list: bool, **options: Any
    ) -> None:
        if list or not kind:
            for spec in KINDS.values():
                self.stdout.write(f"{spec.key:40s} {spec.label}")
            return
        if kind not in KINDS:
            raise CommandError(f"未知的文书类型：{kind}。用 --list 查看全部类型。")
        if out is None:
            raise CommandError("请用 --out 指定输出的 PDF 文件。")
        case = sample_case(KINDS[kind])
        context = build_letter_context(
            case=case,
            kind=KINDS[kind],
            number=f"{case.organ.letter_number_prefix}〔{timezone.localdate().year}〕1号",
            issued_on=timezone.localdate(),
        )
        html = render_letter_html(
            context=context,
            wording=current_wording(kind).body,
            verification_code="SAMP-LE00-0000",
            seal=seal_data_uri(case.organ.seal.path if case.organ.seal else None),
        )
        out.write_bytes(html_to_pdf(html))
        self.stdout.write(f"{out}（{out.stat().st_size:,} 字节）")
