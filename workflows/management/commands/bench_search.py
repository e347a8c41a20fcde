"""Benchmark the staff search box (casework.search.case_search) over the benchmark organ.

    manage.py seed_bench --cases 100000
    manage.py bench_search [--repeat 30]

seed_bench writes placeholder text (测试申请N); the first run of this command gives the
benchmark organ's cases realistic Chinese subjects and request texts, its applicants Chinese
names, phone numbers, e-mail addresses and resident ID numbers, and its replied and archived
cases a reply letter with a document number (文号). Later runs reuse them.

For each query (a case number, a 2- and a 4-character subject word, a name, a phone, an ID
number, a document number) and for an office user and a liaison officer, it times what the
case list does with the search box (casework.search.case_page): the count and the first page
of 50 cases, newest first, with their related rows;
then prints p50/p95 milliseconds per query and over all queries, and the ratio of the latter
to the admin's change list of cases measured in the same run (workflows/management/reference.py).
"""

import random
import statistics
import time
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from casework.choices import ApplicantCategory, CaseStatus, IdType, Role
from casework.models import Applicant, Case, Organ
from casework.search import case_page, case_search
from workflows.management.commands.seed_bench import BENCH_ORGAN
from workflows.management.reference import ADMIN_LABEL, measure

PLACEHOLDER = "测试申请"
DISTRICTS = [
    "历下区",
    "市中区",
    "槐荫区",
    "天桥区",
    "历城区",
    "长清区",
    "章丘区",
    "济阳区",
    "莱芜区",
    "钢城区",
    "平阴县",
    "商河县",
]
TOPICS = [
    "退役士兵安置",
    "优抚对象抚恤补助",
    "烈士褒扬金发放",
    "军休所改造项目",
    "双拥模范城创建",
    "退役军人创业园区",
    "光荣院入住",
    "自主就业经济补助",
    "伤残军人评残",
    "军人公墓管理",
    "退役军人服务中心建设",
    "拥军优属慰问",
    "军队转业干部安置",
    "随军家属就业",
    "退役军人职业技能培训",
    "烈士纪念设施维护",
    "参战参试人员补助",
    "重点优抚对象医疗保障",
]
KINDS = [
    "计划及落实情况",
    "资金拨付明细",
    "标准文件",
    "招标文件",
    "验收报告",
    "工作方案",
    "实施细则",
    "会议纪要",
    "统计数据",
    "审批文件",
    "采购合同",
    "政策文件",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国秀英志强丽华明军红梅海燕伟芳娜敏静磊洋勇艳杰娟涛超霞平刚桂英玉兰文博子涵浩然雨欣"
ID_AREA = ["370102", "370103", "370104", "370105", "370112", "370113", "370114", "370124"]
LETTER_SERIES = "测试依复"


def _resident_id(rng: random.Random) -> str:
    """A syntactically valid resident ID number (GB 11643: area, birth date, sequence,
    MOD 11-2 check digit)."""
    birth = (timezone.localdate() - timedelta(days=rng.randrange(18 * 365, 80 * 365))).strftime(
        "%Y%m%d"
    )
    body = rng.choice(ID_AREA) + birth + f"{rng.randrange(1000):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "p50/p95 of the staff search box over 100,000 cases (after seed_bench)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=30, help="timed runs per query")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, repeat: int, seed: int, **options: Any) -> None:
        organ = Organ.objects.filter(name=BENCH_ORGAN).first()
        if organ is None or not Case.objects.filter(organ=organ).exists():
            raise CommandError("先运行 manage.py seed_bench --cases 100000。")
        rng = random.Random(seed)
        self._prepare(organ, rng)
        from django.db import connection

        if connection.vendor == "postgresql":
            # The first run rewrites the texts of 100,000 cases: without fresh statistics the
            # planner misjudged the trigram matches (127 ms p95 here, 60-75 ms after ANALYZE).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE casework_case, casework_applicant, letters_letter")
        office = self._office_user()
        liaison = User.objects.get(username="bench_liaison_01")
        self.stdout.write(f"cases in the database: {Case.objects.count():,}")
        all_times: dict[str, list[float]] = {}
        for user in (office, liaison):
            queries = self._queries(organ, user)
            user_times: list[float] = []
            for label, q in queries:
                times, found = self._measure(user, q, repeat)
                user_times += times
                self.stdout.write(
                    f"{user.username:18s} {label:16s} {q!r:28s} found {found:6d}  "
                    f"p50 {statistics.median(times):6.1f} ms  p95 {_pct(times, 95):6.1f} ms"
                )
            all_times[user.username] = user_times
        # The reference of the same run: the admin's change list of cases (50 rows a page).
        admin = measure([], max(repeat, 10))[ADMIN_LABEL]
        for username, times in all_times.items():
            self.stdout.write(
                f"ALL {username:18s} p50 {statistics.median(times):6.1f} ms  "
                f"p95 {_pct(times, 95):6.1f} ms  max {max(times):6.1f} ms  "
                f"({len(times)} searches)"
            )
        self.stdout.write(admin.line())
        for username, times in all_times.items():
            self.stdout.write(
                f"ALL {username:18s} p95 / admin change list p95 = "
                f"{_pct(times, 95) / admin.p95:.2f}"
            )

    def _measure(self, user: User, q: str, repeat: int) -> tuple[list[float], int]:
        """What the case list does: count, then the first page, newest first."""
        found = 0
        times = []
        for i in range(repeat + 1):
            started = time.perf_counter()
            page = case_page(case_search(user=user, q=q), 1, size=50, searched=True)
            found = page.paginator.count
            if i:  # the first run warms up the connection and caches
                times.append((time.perf_counter() - started) * 1000)
        return times, found

    def _office_user(self) -> User:
        user, created = User.objects.get_or_create(
            username="bench_reviewer", defaults={"last_name": "测试", "first_name": "审核员"}
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=Role.REVIEWER))
        return user

    def _queries(self, organ: Organ, user: User) -> list[tuple[str, str]]:
        """Realistic queries, taken from cases this user can see."""
        visible = case_search(user=user, q="").filter(organ=organ)
        archived = visible.filter(status=CaseStatus.ARCHIVED).order_by("pk")
        people = visible.filter(applicant__category=ApplicantCategory.NATURAL_PERSON).order_by("pk")
        if not archived.exists() or not people.exists():
            raise CommandError(f"{user.username} 可见的测试案件太少；先运行 seed_bench。")
        # The same picks on every run of a database of any size.
        case = archived[min(37, archived.count() - 1)]
        person = people[min(11, people.count() - 1)].applicant
        letter = case.letters.first()
        return [
            ("case number", case.number),
            ("2-char word", "安置"),
            ("4-char word", "抚恤补助"),
            ("3-char phrase", "光荣院"),
            ("name", person.name),
            ("phone", person.phone),
            ("ID number", person.id_number),
            ("document no.", letter.number if letter else ""),
            ("no match", "核电站"),
        ]

    @transaction.atomic
    def _prepare(self, organ: Organ, rng: random.Random) -> None:
        from letters.models import Letter, LetterWording

        # Only what seed_bench made since the last run (its placeholder texts, the replied cases
        # without a benchmark letter): re-entrant on a grown or re-seeded database.
        cases = Case.objects.filter(organ=organ, subject__startswith=PLACEHOLDER)
        if not cases.exists():
            return
        self.stdout.write(f"giving {cases.count():,} benchmark cases realistic text…")
        applicant_ids = set(cases.values_list("applicant_id", flat=True).distinct())
        applicants = list(Applicant.objects.filter(pk__in=applicant_ids))
        for n, applicant in enumerate(applicants):
            applicant.name = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
            )
            if applicant.category != ApplicantCategory.NATURAL_PERSON:
                applicant.name = rng.choice(DISTRICTS) + applicant.name + "科技有限公司"
            else:
                applicant.id_type = IdType.RESIDENT_ID
                applicant.id_number = _resident_id(rng)
            applicant.phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
            applicant.email = f"user{n:05d}@example.com"
        Applicant.objects.bulk_update(
            applicants, ["name", "id_type", "id_number", "phone", "email"], batch_size=1000
        )
        batch: list[Case] = []
        prepared_ids = list(cases.values_list("pk", flat=True))
        for case in cases.only("pk", "received_on").iterator(chunk_size=2000):
            district, topic, kind = rng.choice(DISTRICTS), rng.choice(TOPICS), rng.choice(KINDS)
            year = case.received_on.year - rng.choice((0, 1)) if case.received_on else 2025
            case.subject = f"{district}{year}年{topic}{kind}"
            case.description = (
                f"请提供{district}{year}年度{topic}相关的{kind}，"
                "包括文件名称、文号及附件，以纸质形式邮寄。"
            )
            batch.append(case)
            if len(batch) == 2000:
                Case.objects.bulk_update(batch, ["subject", "description"])
                batch = []
        if batch:
            Case.objects.bulk_update(batch, ["subject", "description"])
        wording, _ = LetterWording.objects.get_or_create(
            kind="reply.granted", version=1, defaults={"body": "（性能测试）"}
        )
        now = timezone.now()
        bench_letters = Letter.objects.filter(case__organ=organ, number__startswith=LETTER_SERIES)
        replied = (
            Case.objects.filter(
                pk__in=prepared_ids, status__in=[CaseStatus.REPLIED, CaseStatus.ARCHIVED]
            )
            .exclude(pk__in=bench_letters.values("case_id"))
            .order_by("pk")
        )
        # Numbers go on from the last one of each year's series (gap-free, never reused).
        counters: dict[int, int] = {}
        for year in set(replied.values_list("year", flat=True)):
            counters[year] = bench_letters.filter(
                number__startswith=f"{LETTER_SERIES}〔{year}〕"
            ).count()
        letters = []
        for case_id, year in replied.values_list("pk", "year").iterator(chunk_size=5000):
            counters[year] = counters.get(year, 0) + 1
            letters.append(
                Letter(
                    case_id=case_id,
                    kind="reply.granted",
                    number=f"{LETTER_SERIES}〔{year}〕{counters[year]}号",
                    wording=wording,
                    context={},
                    html="",
                    pdf="",
                    sha256="",
                    issued_at=now,
                )
            )
        Letter.objects.bulk_create(letters, batch_size=2000)
        self.stdout.write(
            f"  {len(applicants)} applicants, {len(prepared_ids)} cases, {len(letters)} letters"
        )
