"""The benchmark organ's realistic texts, shared by `bench_search` and `bench_similar`.

`seed_bench` writes placeholder texts (测试申请N) and applicants (测试申请人N) fast; the first
benchmark that needs realistic ones gives the organ's cases Chinese subjects and request texts,
its applicants Chinese names, phone numbers, e-mail addresses and resident ID numbers, and its
replied and archived cases a reply letter with a document number (文号). Only what is still a
placeholder is touched, in batches of their own transaction with a progress bar: re-entrant on
a grown or re-seeded database of any size (issue 27 point 2), and an interrupted run goes on
where it stopped.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from casework.choices import ApplicantCategory, CaseStatus, IdType
from casework.management.progress import ProgressBar
from casework.models import Applicant, Case, Organ
from letters.models import Letter, LetterWording

PLACEHOLDER = "测试申请"  # seed_bench's subjects (测试申请N) and applicants (测试申请人N)
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


BATCH = 5000


def resident_id(rng: random.Random) -> str:
    """A syntactically valid resident ID number (GB 11643: area, birth date, sequence,
    MOD 11-2 check digit)."""
    birth = (timezone.localdate() - timedelta(days=rng.randrange(18 * 365, 80 * 365))).strftime(
        "%Y%m%d"
    )
    body = rng.choice(ID_AREA) + birth + f"{rng.randrange(1000):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def bench_texts_prepare(organ: Organ, rng: random.Random, say: Callable[[str], None]) -> int:
    """Give the organ's placeholder cases, applicants and replied cases realistic text and
    letters; returns how many cases were given text (0 when nothing was left)."""
    applicants_prepare(organ, rng)
    done = cases_prepare(organ, rng, say)
    letters_prepare(organ, say)
    return done


def applicants_prepare(organ: Organ, rng: random.Random) -> int:
    """Chinese names, IDs, phones and e-mails for the applicants still named 测试申请人N."""
    applicants = list(
        Applicant.objects.filter(
            name__startswith=PLACEHOLDER,
            pk__in=Case.objects.filter(organ=organ).values("applicant"),
        ).order_by("pk")
    )
    for applicant in applicants:
        applicant.name = rng.choice(SURNAMES) + "".join(
            rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
        )
        if applicant.category != ApplicantCategory.NATURAL_PERSON:
            applicant.name = rng.choice(DISTRICTS) + applicant.name + "科技有限公司"
        else:
            applicant.id_type = IdType.RESIDENT_ID
            applicant.id_number = resident_id(rng)
        applicant.phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        applicant.email = f"user{applicant.pk:06d}@example.com"
    with transaction.atomic():
        Applicant.objects.bulk_update(
            applicants, ["name", "id_type", "id_number", "phone", "email"], batch_size=1000
        )
    return len(applicants)


def cases_prepare(organ: Organ, rng: random.Random, say: Callable[[str], None]) -> int:
    """A subject and a request text for each case still titled 测试申请N, BATCH at a time."""
    placeholders = Case.objects.filter(organ=organ, subject__startswith=PLACEHOLDER)
    total = placeholders.count()
    if not total:
        return 0
    say(f"giving {total:,} benchmark cases realistic text…")
    progress = ProgressBar("改写测试案件文字")
    done, last = 0, 0
    while True:
        batch = list(
            placeholders.filter(pk__gt=last).order_by("pk").values_list("pk", "received_on")[:BATCH]
        )
        if not batch:
            break
        ids, subjects, descriptions = [], [], []
        for pk, received_on in batch:
            district, topic, kind = rng.choice(DISTRICTS), rng.choice(TOPICS), rng.choice(KINDS)
            year = received_on.year - rng.choice((0, 1)) if received_on else 2025
            ids.append(pk)
            subjects.append(f"{district}{year}年{topic}{kind}")
            descriptions.append(
                f"请提供{district}{year}年度{topic}相关的{kind}，"
                "包括文件名称、文号及附件，以纸质形式邮寄。"
            )
        _texts_write(ids, subjects, descriptions)
        done += len(batch)
        last = batch[-1][0]
        progress(done, total)
    return done


def _texts_write(ids: list[int], subjects: list[str], descriptions: list[str]) -> None:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One statement a batch (bulk_update's CASE over 5,000 ids is ten times slower).
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE casework_case c SET subject = v.subject, description = v.description "
                    "FROM unnest(%s::bigint[], %s::text[], %s::text[]) "
                    "AS v(id, subject, description) WHERE c.id = v.id",
                    [ids, subjects, descriptions],
                )
            return
        cases = [
            Case(pk=pk, subject=s, description=d)
            for pk, s, d in zip(ids, subjects, descriptions, strict=True)
        ]
        Case.objects.bulk_update(cases, ["subject", "description"], batch_size=1000)


def letters_prepare(organ: Organ, say: Callable[[str], None]) -> int:
    """A benchmark reply letter (series 测试依复, numbers gap-free per year, going on from the
    last) for each replied or archived case of the organ that has none."""
    wording, _ = LetterWording.objects.get_or_create(
        kind="reply.granted", version=1, defaults={"body": "（性能测试）"}
    )
    bench_letters = Letter.objects.filter(case__organ=organ, number__startswith=LETTER_SERIES)
    # NOT EXISTS, an anti-join: `pk NOT IN (…)` over 600,000 letters outgrew work_mem and was
    # run as a subplan per case (a count took more than 7 minutes at 1,000,000 cases).
    has_letter = Letter.objects.filter(case=OuterRef("pk"), number__startswith=LETTER_SERIES)
    replied = (
        Case.objects.filter(organ=organ, status__in=[CaseStatus.REPLIED, CaseStatus.ARCHIVED])
        .filter(~Exists(has_letter))
        .order_by("pk")
    )
    total = replied.count()
    if not total:
        return 0
    progress = ProgressBar("编号测试答复书")
    counters: dict[int, int] = {}
    for year in set(replied.values_list("year", flat=True)):
        counters[year] = bench_letters.filter(
            number__startswith=f"{LETTER_SERIES}〔{year}〕"
        ).count()
    now = timezone.now()
    done, last = 0, 0
    while True:
        batch = list(replied.filter(pk__gt=last).values_list("pk", "year")[:BATCH])
        if not batch:
            break
        letters = []
        for case_id, year in batch:
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
        with transaction.atomic():
            Letter.objects.bulk_create(letters, batch_size=1000)
        done += len(batch)
        last = batch[-1][0]
        progress(done, total)
    say(f"  {done:,} letters numbered")
    return done
