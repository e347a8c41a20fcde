"""Print the on-request tables of the annual report (国办公开办函〔2021〕30号).

manage.py annual_report 2026 --format json
manage.py annual_report 2026            (a readable table)
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from casework.annual_report import report_as_data
from casework.models import Organ
from casework.selectors import organ_the_one


class Command(BaseCommand):
    help = "Tables 三 and 四 of the annual report for a year, computed from the cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--organ", help="name of the organ (default: the first)")

    def handle(self, *args: Any, year: int, format: str, organ: str | None, **options: Any) -> None:
        if year > timezone.localdate().year:
            raise CommandError(f"{year} 年尚未开始，不能生成年度报告。")
        if year < 2019:
            raise CommandError("2019 年以前的申请适用旧条例和旧报告格式，本系统不生成。")
        found = Organ.objects.filter(name=organ).first() if organ else organ_the_one()
        if found is None:
            raise CommandError("未找到机关。")
        data = report_as_data(found, year)
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        three = data["table_3"]
        self.stdout.write(f"{data['organ']} {year} 年 — {three['title']}")
        self.stdout.write("".ljust(44) + "".join(c["label"].rjust(8) for c in three["columns"]))
        keys = [c["key"] for c in three["columns"]]
        for row in three["rows"]:
            self.stdout.write(
                row["label"][:40].ljust(44) + "".join(str(row["values"][k]).rjust(8) for k in keys)
            )
        holds = three["check"]["holds"]
        self.stdout.write(
            "勾稽关系（一+二=三(七)+四）："
            + (
                "全部成立"
                if all(holds.values())
                else f"不成立：{[k for k, v in holds.items() if not v]}"
            )
        )
        self.stdout.write(data["table_4"]["title"])
        for group in data["table_4"]["groups"]:
            self.stdout.write(
                f"  {group['label']}："
                + "，".join(
                    f"{c} {v}" for c, v in zip(group["columns"], group["values"], strict=True)
                )
            )
