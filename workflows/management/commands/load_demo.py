"""Load the demo organ: 济南市退役军人事务局 with six divisions, one user per role, the
working-day calendar and a few cases in different states. Idempotent."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from casework.calendar_data import calendar_load_from_package, package_years
from casework.choices import ApplicantCategory, Channel, Disposition, IdType, Role
from casework.models import Case, Division, Organ
from casework.payloads import Payload
from casework.permissions import division_grant_member
from casework.selectors import working_calendar
from letters.sample import specimen_seal_png
from workflows.catalogue.demo import demo_catalogue, demo_catalogue_item
from workflows.demo import DEMO_PASSWORD, demo_marker_write
from workflows.roles import role_groups_ensure
from workflows.services import case_act, case_receive

ORGAN = {
    "name": "济南市退役军人事务局",
    "short_name": "济退役军人",
    "office_name": "济南市退役军人事务局政务公开办公室",
    "address": "山东省济南市历下区龙奥北路1号（示例地址）",
    "postal_code": "250101",
    "phone": "0531-66600000",
    "email": "gongkai@example.gov.cn",
    "office_hours": "工作日 上午9:00—12:00，下午13:30—17:00",
    "reconsideration_organ": "济南市人民政府",
    "court": "济南市有管辖权的人民法院",
    "letter_number_prefix": "济退役军人依复",
}

DIVISIONS = [
    ("office", "办公室"),
    ("policy", "政策法规处"),
    ("placement", "移交安置处"),
    ("employment", "就业创业处"),
    ("care", "优抚处"),
    ("commemoration", "褒扬纪念处"),
]

# username, full name (last, first), role, division codes. Every division has a liaison
# officer, so every demo case that reaches a division can be claimed and worked there.
USERS = [
    ("registrar", "王", "登记", Role.REGISTRAR, []),
    ("reviewer", "李", "审核", Role.REVIEWER, []),
    ("head", "赵", "主任", Role.OFFICE_HEAD, []),
    ("supervisor", "孙", "督办", Role.SUPERVISOR, []),
    ("admin", "周", "管理", Role.ADMINISTRATOR, []),
    ("liaison_placement", "陈", "安置", Role.LIAISON, ["placement"]),
    ("liaison_care", "刘", "优抚", Role.LIAISON, ["care"]),
    ("liaison_employment", "杨", "就业", Role.LIAISON, ["employment"]),
    ("liaison_office", "吴", "办公", Role.LIAISON, ["office"]),
    ("liaison_policy", "郑", "法规", Role.LIAISON, ["policy"]),
    ("liaison_commemoration", "钱", "褒扬", Role.LIAISON, ["commemoration"]),
]


class Command(BaseCommand):
    help = "Load the demo organ, divisions, users, calendar and cases (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.CASEWORK_MODE != "demo":
            # The demo's users share a published password: never outside the demonstration.
            raise CommandError(
                "load_demo 只能在演示模式下运行（CASEWORK_MODE=demo，即 bash bin/bootstrap run）。"
            )
        years = package_years()
        counts = calendar_load_from_package(years)
        self.stdout.write(
            f"工作日历：已载入 {years[0]}–{years[-1]} 年（{sum(counts.values())} 个特殊日）"
        )
        with transaction.atomic():
            demo_marker_write()  # production refuses a database with this mark (workflows.demo)
            role_groups_ensure()  # as the migrations made them, even on a flushed database
            organ, _created = Organ.objects.get_or_create(name=ORGAN["name"], defaults=ORGAN)
            if not organ.seal:
                # A specimen seal (样章), so that the demo's sealed letters show where the
                # organ's own seal image (uploaded in the admin) goes.
                organ.seal.save("seal.png", ContentFile(specimen_seal_png()), save=True)
            divisions = {}
            for code, name in DIVISIONS:
                divisions[code], _ = Division.objects.get_or_create(
                    organ=organ, code=code, defaults={"name": name}
                )
            users = {}
            for username, last, first, role, division_codes in USERS:
                user, user_created = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "last_name": last,
                        "first_name": first,
                        "is_staff": role == Role.ADMINISTRATOR,
                        "is_superuser": role == Role.ADMINISTRATOR,
                    },
                )
                if user_created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                user.groups.add(Group.objects.get(name=role))
                for code in division_codes:
                    division_grant_member(user, divisions[code])
                users[username] = user
        self.stdout.write(f"机关：{organ.name}；处室 {len(divisions)} 个；用户 {len(users)} 个")
        with transaction.atomic():
            self.stdout.write(demo_catalogue(organ, divisions, users, timezone.now()))
        if Case.objects.filter(organ=organ).exists():
            self.stdout.write("示例案件已存在，未重复创建。")
            return
        with transaction.atomic():
            made = self._cases(organ, divisions, users)
        self.stdout.write(self.style.SUCCESS(f"已创建示例案件 {made} 件。"))

    def _cases(self, organ: Organ, divisions: dict[str, Division], users: dict[str, User]) -> int:
        calendar = working_calendar()
        today = timezone.localdate()
        now = timezone.now()

        def back(n: int) -> date:
            """The n-th working day before today (so the demo looks alive whenever it runs)."""
            day = today
            while n > 0:
                day -= timedelta(days=1)
                if calendar.is_working_day(day):
                    n -= 1
            return day

        def arrive(day: date, hour: int = 10) -> datetime:
            return timezone.make_aware(datetime.combine(day, time(hour)))

        def person(name: str, id_number: str, phone: str) -> Payload:
            return {
                "category": ApplicantCategory.NATURAL_PERSON,
                "name": name,
                "id_type": IdType.RESIDENT_ID,
                "id_number": id_number,
                "phone": phone,
                "email": "",
                "address": "济南市市中区某小区1号楼",
                "postal_code": "250001",
            }

        def receive(channel: str, day: date, applicant: Payload, subject: str, **kw: Any) -> Case:
            return case_receive(
                organ=organ,
                actor=users["registrar"],
                channel=channel,
                arrived_at=arrive(day),
                applicant=applicant,
                request={
                    "subject": subject,
                    "description": kw.pop("description", ""),
                    "provision_form": "paper",
                    "delivery_method": "post",
                },
                now=now,
                **kw,
            )

        def fire(case: Case, name: str, who: str, on: date, **fields: object) -> None:
            # Each step is entered on its own day (the demo's history, not a backdating).
            entered = now - timedelta(days=(timezone.localdate(now) - on).days)
            case_act(
                number=case.number,
                organ=organ,
                name=name,
                actor=users[who],
                on=on,
                fields=fields,
                now=min(now, entered),
            )

        zhang = person("张建国", "370102198001011237", "13806400001")
        wang = person("王秀英", "11010519491231002X", "13906400002")
        firm = {
            "category": ApplicantCategory.COMMERCIAL,
            "name": "济南鲁安物业服务有限公司",
            "credit_code": "91370100MA3C5XY014",
            "contact_person": "刘经理",
            "phone": "0531-88001234",
            "address": "济南市历城区工业北路100号",
            "postal_code": "250100",
        }
        ngo = {
            "category": ApplicantCategory.PUBLIC_WELFARE,
            "name": "济南市拥军志愿者协会",
            "credit_code": "52370100MJD1234565",
            "contact_person": "马会长",
            "phone": "13506400003",
            "email": "contact@example.org",
        }
        lawyer = {
            "name": "郑律师",
            "id_type": IdType.RESIDENT_ID,
            "id_number": "37010219900307456X",
            "organisation": "山东某某律师事务所",
            "phone": "13706400004",
        }

        c1 = receive(Channel.ONLINE, back(0), zhang, "本市2025年退役士兵安置计划及落实情况")
        c2 = receive(
            Channel.IN_PERSON,
            back(1),
            wang,
            "本人父亲烈士褒扬金发放标准文件",
            description="请提供相关文件的复印件。",
        )
        c3 = receive(Channel.REGISTERED_POST, back(6), firm, "退役军人创业园区物业服务采购合同")
        fire(c3, "register", "registrar", back(6))
        fire(
            c3,
            "request_correction",
            "registrar",
            back(4),
            items="请写明所需合同的签订年份及项目名称。",
            deadline_on=(today + timedelta(days=10)).isoformat(),
        )
        c4 = receive(Channel.EMAIL, back(4), ngo, "2025年度优抚对象抚恤补助资金拨付明细")
        fire(c4, "confirm_receipt", "registrar", back(4), method="电话确认")
        fire(c4, "register", "registrar", back(4))
        fire(
            c4,
            "assign",
            "reviewer",
            back(3),
            lead_division_id=divisions["care"].pk,
            co_division_ids=[divisions["employment"].pk],
        )
        c5 = receive(
            Channel.IN_PERSON, back(12), zhang, "退役士兵自主就业一次性经济补助标准", agent=None
        )
        fire(c5, "register", "registrar", back(12))
        fire(c5, "assign", "reviewer", back(11), lead_division_id=divisions["placement"].pk)
        fire(c5, "claim", "liaison_placement", back(10))
        fire(
            c5,
            "open_consultation",
            "liaison_placement",
            back(8),
            party="other_organ",
            party_name="济南市财政局",
            matter="共同制定的补助标准文件是否可以公开",
        )
        c6 = receive(
            Channel.REGISTERED_POST, back(15), firm, "军休所改造项目招标文件", agent=lawyer
        )
        fire(c6, "register", "registrar", back(15))
        fire(c6, "assign", "reviewer", back(14), lead_division_id=divisions["employment"].pk)
        fire(c6, "claim", "liaison_employment", back(13))
        # Partial disclosure releases the redacted records, reviewed first (Art 37).
        self._release_set(c6, users["liaison_employment"], users["reviewer"])
        fire(
            c6,
            "propose",
            "liaison_employment",
            back(5),
            disposition=Disposition.PARTIAL,
            basis="《中华人民共和国政府信息公开条例》第三十七条",
            reasons="招标文件中投标人报价属商业秘密",
            withheld="投标人报价明细（第十五条、第三十七条）",
            searched="就业创业处档案室、电子公文系统",
            found="招标文件1份",
        )
        c7 = receive(Channel.IN_PERSON, back(20), wang, "2024年退役军人事务局部门预算", agent=None)
        fire(c7, "register", "registrar", back(20))
        fire(c7, "assign", "reviewer", back(19), lead_division_id=divisions["office"].pk)
        c8 = receive(Channel.IN_PERSON, back(30), zhang, "本局政府信息公开指南")
        fire(
            c8,
            "reply_on_the_spot",
            "registrar",
            back(30),
            disposition=Disposition.GRANTED_ALREADY_PUBLISHED,
            # Art 36(1): the reply points to the catalogue item (its title, date, address).
            catalogue_item=demo_catalogue_item(organ, "政府信息公开指南"),
        )
        fire(c8, "archive", "registrar", back(29))
        c9 = receive(Channel.ORDINARY_LETTER, back(2), wang, "本市光荣院入住条件")
        fire(c9, "confirm_receipt", "registrar", back(2), method="电话确认")
        fire(c9, "withdraw", "registrar", back(1), reason="申请人来电撤回申请")
        c10 = receive(Channel.FAX, back(25), ngo, "双拥模范城创建工作方案")
        fire(c10, "confirm_receipt", "registrar", back(25), method="传真回执确认")
        fire(c10, "register", "registrar", back(25))
        fire(c10, "assign", "reviewer", back(24), lead_division_id=divisions["policy"].pk)
        c11 = receive(Channel.ONLINE, back(18), firm, "退役军人服务中心建设项目验收报告")
        fire(c11, "confirm_receipt", "registrar", back(18), method="网上平台确认")
        fire(c11, "register", "registrar", back(18))
        fire(c11, "assign", "reviewer", back(17), lead_division_id=divisions["placement"].pk)
        fire(c11, "claim", "liaison_placement", back(16))
        fire(
            c11,
            "request_extension",
            "liaison_placement",
            back(10),
            days=10,
            reason="需调取档案并征求相关处室意见",
        )
        fire(c11, "extend", "head", back(9), days=10, reason="需调取档案并征求相关处室意见")
        fire(
            c11,
            "propose",
            "liaison_placement",
            back(4),
            disposition=Disposition.UNABLE_NOT_HELD,
            basis="《中华人民共和国政府信息公开条例》第三十六条第（四）项",
            reasons="经检索，本机关未制作或获取该报告",
            searched="移交安置处、档案室",
            search_places="移交安置处业务档案、档案室文书档案",
            search_systems="电子公文系统",
            search_period="2023年1月至今",
            search_terms="安置 落实情况 报告",
        )
        fire(c11, "check", "reviewer", back(3))
        fire(c11, "approve", "head", back(3))
        fire(c11, "issue_reply", "registrar", back(2))
        fire(
            c11,
            "record_delivery",
            "registrar",
            back(0),
            method="post",
            tracking_number="EMS1234567890",
        )
        made = [c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11]
        from workflows.selfcheck.demo import selfcheck_demo

        campaign = selfcheck_demo(
            organ=organ,
            divisions=divisions,
            users=users,
            receive=receive,
            fire=fire,
            back=back,
            person=person,
        )
        self.stdout.write(f"自查：{campaign.title}，{campaign.items.count()} 个事项已分送处室。")
        return len(made)

    def _release_set(self, case: Case, officer: User, reviewer: User) -> None:
        """A record with personal data on `case`, its suggestions decided (accepted, one
        dismissed with its reason), the redacted files built and approved by the reviewer.
        The jobs run here (the demo's worker may run them again: they are idempotent)."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from letters.records import jobs
        from letters.records import services as records
        from letters.records.samples import SAMPLE_PLATE, sample_text_pdf

        case = Case.objects.select_related("lead_division").get(pk=case.pk)  # as routed now
        division = case.lead_division
        if division is None:
            raise CommandError(f"{case.number} is not routed")
        record = records.record_add(
            case=case,
            division=division,
            uploaded=SimpleUploadedFile("tender.pdf", sample_text_pdf(1), "application/pdf"),
            actor=officer,
            title="军休所改造项目招标文件",
        )
        jobs.run("record_process", record.pk)
        plate = list(record.suggestions.filter(value=SAMPLE_PLATE).values_list("pk", flat=True))
        records.suggestions_dismiss(
            record=record, actor=officer, ids=plate, reason="公务车辆号牌，不属于个人信息"
        )
        records.suggestions_accept(record=record, actor=officer)
        release_set = records.release_set_start(case=case, actor=officer)
        jobs.run("release_set_build", release_set.pk)
        records.release_set_approve(
            case=case, set_id=release_set.pk, actor=reviewer, note="已核对遮盖"
        )
