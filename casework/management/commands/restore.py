"""manage.py restore DIR: restore a backup into a fresh database, then verify every issued
letter's SHA-256 and the audit trail (casework.backup)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from casework.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup into an empty database and MEDIA_ROOT, then verify it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--app-role",
            default=None,
            help="the application's PostgreSQL role to re-grant (default DATABASE_APP_ROLE)",
        )

    def handle(self, *args: Any, folder: Path, app_role: str | None, **options: Any) -> None:
        try:
            report = backup_restore(folder, app_role=app_role)
        except (BackupError, OSError) as exc:
            raise CommandError(f"恢复失败：{exc}") from exc
        self.stdout.write(
            f"已恢复：文件 {report['files']} 个，文书 {report['letters']} 份，事件 {report['events']} 条。"
        )
        if report["app_role"]:
            self.stdout.write(f"已为应用角色 {report['app_role']} 重新授权（docs/DEPLOY.md §8）。")
        elif connection.vendor == "postgresql":
            self.stderr.write(
                "未重新授权：未指定应用角色（--app-role 或 DATABASE_APP_ROLE），"
                "请按 docs/DEPLOY.md §8 授权后再启动。"
            )
        for problem in report["files_bad"] + report["letters_bad"]:
            self.stderr.write(f"校验不符：{problem}")
        if not report["audit_ok"]:
            self.stderr.write("校验不符：审计记录（案件事件）与备份时不一致。")
        if not report["ok"]:
            raise CommandError("恢复后的校验未通过。")
        self.stdout.write("校验通过：每份文书的 SHA-256 与签发时一致，审计记录与备份时一致。")
