"""manage.py restore DIR: restore a backup into a fresh database, then verify every issued
letter's SHA-256 and the audit trail (casework.backup)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup into an empty database and MEDIA_ROOT, then verify it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args: Any, folder: Path, **options: Any) -> None:
        try:
            report = backup_restore(folder)
        except (BackupError, OSError) as exc:
            raise CommandError(f"恢复失败：{exc}") from exc
        self.stdout.write(
            f"已恢复：文件 {report['files']} 个，文书 {report['letters']} 份，事件 {report['events']} 条。"
        )
        for problem in report["files_bad"] + report["letters_bad"]:
            self.stderr.write(f"校验不符：{problem}")
        if not report["audit_ok"]:
            self.stderr.write("校验不符：审计记录（案件事件）与备份时不一致。")
        if not report["ok"]:
            raise CommandError("恢复后的校验未通过。")
        self.stdout.write("校验通过：每份文书的 SHA-256 与签发时一致，审计记录与备份时一致。")
