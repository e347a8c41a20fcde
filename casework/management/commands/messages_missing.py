"""The per-area makemessages (ADR 0005, docs/DEVELOPING.md):

    manage.py messages_missing               list every message zh-hans leaves in English
    manage.py messages_missing --area NAME   append them, untranslated, to
                                             locale/extra/NAME/zh_Hans/LC_MESSAGES/django.po

Unlike `makemessages`, it touches one area's catalogue only, adds only what no catalogue
translates yet, and never guesses (no fuzzy entries). It compiles the catalogues whose .mo is
missing or stale first. Fill in each msgstr, then run
`manage.py compilemessages --ignore=.venv`.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.management.messages import (
    catalogues_compile_stale,
    messages_extract,
    messages_untranslated,
    po_append,
)


class Command(BaseCommand):
    help = "List the untranslated messages, or add them to one area's catalogue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", help="the area whose catalogue gets the new messages")

    def handle(self, *args: Any, area: str | None, **options: Any) -> None:
        root = Path(settings.BASE_DIR)
        if area is not None and not re.fullmatch(r"[a-z][a-z0-9_]*", area):
            raise CommandError("区域名只能含小写字母、数字和下划线，以字母开头。")
        # A catalogue without its .mo (a fresh clone) or edited since would count as missing.
        catalogues_compile_stale(root)
        with tempfile.TemporaryDirectory() as work:
            missing = messages_untranslated(messages_extract(root, Path(work)))
        if not missing:
            self.stdout.write("所有界面文字都已有中文翻译。")
            return
        if area is None:
            for m in missing:
                self.stdout.write(f"{m.where}: {m.msgid}")
            self.stdout.write(f"共 {len(missing)} 条未翻译；用 --area 名称 写入该区域的翻译目录。")
            return
        catalogue = root / "locale" / "extra" / area / "zh_Hans" / "LC_MESSAGES" / "django.po"
        added = po_append(catalogue, area, missing)
        self.stdout.write(
            f"已在 {catalogue.relative_to(root)} 添加 {added} 条待翻译文字；"
            "填写 msgstr 后运行 manage.py compilemessages --ignore=.venv。"
        )
