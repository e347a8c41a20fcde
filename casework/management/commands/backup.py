"""manage.py backup [--out DIR]: database dump + DATA_DIR files + manifest (casework.backup)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.backup import BackupError, backup_create, backup_default_folder


class Command(BaseCommand):
    help = "Back up the database and the files (attachments, letters) with SHA-256 sums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, help="a new folder (default DATA_DIR/backups/…)")

    def handle(self, *args: Any, out: Path | None, **options: Any) -> None:
        folder = out or backup_default_folder()
        try:
            manifest = backup_create(folder)
        except (BackupError, FileExistsError, OSError) as exc:
            raise CommandError(f"备份失败：{exc}") from exc
        self.stdout.write(
            f"已备份到 {folder}：数据库 {manifest['database']['file']}，文件 {len(manifest['files'])} 个，"
            f"事件 {manifest['audit']['events']} 条，文书 {manifest['letters']} 份。"
        )
