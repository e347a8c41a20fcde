"""manage.py library_rebuild [--organ ID] [--missing] [--workers N] [--bulk]: recreate the
case library's entries from the cases (derived data), with a progress bar; `--missing` writes
only the cases that have no entry yet (a grown database, or an interrupted rebuild);
`--workers` writes id ranges in N processes; `--bulk` (PostgreSQL) builds the postings' lookup
index once at the end. The background job keeps the entries current after."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.library.rebuild import library_behind, library_build, library_catch_up
from casework.management.progress import ProgressBar
from casework.models import Case


class Command(BaseCommand):
    help = "Rebuilds the case library's entries from the cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organ", type=int, help="only this organ's cases (id)")
        parser.add_argument(
            "--missing", action="store_true", help="only the cases without an entry"
        )
        parser.add_argument(
            "--workers", type=int, default=1, help="processes writing entries side by side"
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="with --missing: queue the work for a background worker (if any is behind)",
        )
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="PostgreSQL: drop the postings' lookup index while writing, build it at the end "
            "(a first build of a large organ; lookups are slow meanwhile)",
        )

    def handle(
        self,
        *args: Any,
        organ: int | None,
        missing: bool,
        workers: int,
        bulk: bool,
        enqueue: bool,
        **options: Any,
    ) -> None:
        if enqueue:
            if not missing or organ is not None or workers != 1 or bulk:
                raise CommandError("--enqueue 只能与 --missing 一起使用。")
            if not library_behind():
                self.stdout.write("案例库已是最新，无需重建。")
                return
            library_catch_up.enqueue()
            self.stdout.write("案例库有缺失或旧规则的条目：已交后台任务补建。")
            return
        cases = Case.objects.all()
        if organ is not None:
            cases = cases.filter(organ_id=organ)
        done, terms = library_build(
            cases,
            missing_only=missing,
            workers=workers,
            bulk=bulk,
            progress=ProgressBar("重建案例库"),
        )
        self.stdout.write(f"案例库已重建：{done} 件案件，{terms} 条索引项。")
