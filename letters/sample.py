"""A real demo case that fits a kind of letter, built through the services inside a
transaction that is rolled back (for letter_sample, bench_letters and the layout tests).

The case goes through `casework.services.case_receive` and `case_transition` exactly as an
office would take it (same validation, same events, same clock), so a sample shows what an
issued letter of that kind will look like. Nothing survives the `with` block: the organ (when
missing), the users, the case, its events and the counters are all rolled back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from casework.choices import ApplicantCategory, Channel, Disposition, IdType, Role
from casework.choices import Transition as T
from casework.models import Case, Division, Organ
from casework.payloads import Payload
from casework.permissions import division_grant_member
from casework.selectors import working_calendar
from casework.services import case_receive, case_transition
from letters.kinds import DEFAULT_BASIS, KINDS, Kind
from letters.registry import LETTERS

DEMO_ORGAN = {
    "name": "济南市退役军人事务局",
    "short_name": "济退役军人",
    "address": "山东省济南市历下区龙奥北路1号（示例地址）",
    "postal_code": "250101",
    "phone": "0531-66600000",
    "reconsideration_organ": "济南市人民政府",
    "court": "",
    "letter_number_prefix": "济退役军人依复",
}

APPLICANT = {
    "category": ApplicantCategory.NATURAL_PERSON,
    "name": "张建国",
    "id_type": IdType.RESIDENT_ID,
    "id_number": "370102198001011237",
    "phone": "13806400001",
    "email": "",
    "address": "济南市市中区某小区1号楼",
    "postal_code": "250001",
}
AGENT = {
    "name": "郑律师",
    "id_type": IdType.RESIDENT_ID,
    "id_number": "37010219900307456X",
    "phone": "13706400004",
}
SUBJECT = "本市2025年退役士兵安置计划及落实情况"
# A request of three items (issue 21): `letter_sample reply.partial --items`.
ITEMS_SUBJECT = "1. 本市2025年退役士兵安置计划 2. 安置计划落实情况 3. 安置资金使用明细"
MIXED_ITEMS: list[Payload] = [
    {
        "position": 1,
        "disposition": Disposition.GRANTED,
        "files": "《2025年退役士兵安置计划》",
        "arrangement": "post",
        "arranged_on": "2026-03-20",
    },
    {
        "position": 2,
        "disposition": Disposition.UNABLE_NOT_HELD,
        "reasons": "本机关未制作落实情况的汇总材料。",
        "search_places": "档案室文书档案、移交安置处业务档案",
        "search_systems": "OA办公系统",
        "search_period": "2025年1月至2026年3月",
        "search_terms": "安置 落实情况",
    },
    {
        "position": 3,
        "disposition": Disposition.REFUSED_INTERNAL_AFFAIRS,
        "reasons": "安置资金使用明细属于本机关内部财务管理信息。",
    },
]

# What the liaison officer writes for each decision (reasons, withheld part, files).
PROPOSALS: dict[str, dict[str, str]] = {
    # Granted: posted to the applicant (Art 40); the files listed are what was posted.
    Disposition.GRANTED: {"files": "《2025年退役士兵安置计划》", "arrangement": "post"},
    Disposition.GRANTED_ALREADY_PUBLISHED: {
        "where_published": "本机关门户网站“政府信息公开—规划计划”栏目（2025年12月31日发布）"
    },
    Disposition.UNABLE_NOT_THIS_ORGAN: {
        "reasons": "退役士兵安置计划由市人力资源和社会保障局会同有关部门制定并公开。",
        "responsible_organ": "济南市人力资源和社会保障局",
        "responsible_contact": "0531-12345678",
    },
    Disposition.PARTIAL: {
        "reasons": "所申请信息中含有第三方商业秘密。",
        "withheld": "合同第五条报价明细涉及第三方商业秘密，依据《中华人民共和国政府信息公开条例》"
        "第十五条不予公开。",
    },
    # Art 37 and Art 32 are weighed, and the refusal is confirmed (casework.lifecycle.decision_warnings).
    Disposition.REFUSED_THIRD_PARTY_RIGHTS: {
        "override_warnings": "true",
        "override_reason": "经征求意见，第三方不同意公开，所涉信息无法区分处理。",
    },
    Disposition.UNABLE_NOT_HELD: {
        "reasons": "",  # the search record is the substance of the reply (Art 36(4))
        "search_places": "文书档案、移交安置处业务档案",
        "search_systems": "OA办公系统",
        "search_period": "2024年1月至2026年3月",
        "search_terms": "退役士兵 安置计划",
    },
    Disposition.REFUSED_PROCESS_INFORMATION: {
        "reasons": "所申请的落实情况报告系本机关内部研究讨论形成的征求意见稿，尚未最终定稿，"
        "公开可能影响决策的正常进行。"
    },
    Disposition.NOT_PROCESSED_PUBLICATION: {
        "reasons": "该信息已刊登于《济南市人民政府公报》2025年第6期，您可在市图书馆或政府网站查阅。"
    },
    Disposition.OTHER: {"reasons": "该信息已于2025年12月31日主动公开，您可在本机关网站查阅。"},
}


class _Rollback(Exception):
    """Raised at the end of the block so the sample transaction is rolled back."""


@contextmanager
def sample_case(kind: Kind, *, items: bool = False) -> Iterator[Case]:
    """Yield a saved case that fits `kind` (with `items`, a request of three items answered
    item by item); everything it wrote is rolled back afterwards."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            case = _declared_sample(kind, items=items)
            stored.extend(_stored_files(case))
            yield case
            raise _Rollback
    except _Rollback:
        pass
    finally:
        from django.core.files.storage import default_storage

        for name in stored:  # the files of the sample's records: the rows were rolled back
            default_storage.delete(name)


# The records a partial disclosure releases (Art 37): real files, built and approved as an
# officer and the reviewer do it (issue 21: release follows approval).
SAMPLE_RECORDS = ("2025年退役士兵安置计划", "2025年退役士兵安置计划落实情况报告")


def _sample_release(case: Case, officer: User, reviewer: User) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    import pikepdf

    from letters.records import jobs
    from letters.records import services as records

    case = _reload(case)  # routed since it was received
    division = case.lead_division
    if division is None:
        raise ValueError("the sample case is not routed")
    for title in SAMPLE_RECORDS:
        pdf = pikepdf.new()
        pdf.add_blank_page(page_size=(595, 842))
        buffer = io.BytesIO()
        pdf.save(buffer)
        record = records.record_add(
            case=case,
            division=division,
            uploaded=SimpleUploadedFile(f"{title}.pdf", buffer.getvalue(), "application/pdf"),
            actor=officer,
            title=title,
        )
        jobs.run("record_process", record.pk)
    release_set = records.release_set_start(case=case, actor=officer)
    jobs.run("release_set_build", release_set.pk)
    records.release_set_approve(case=case, set_id=release_set.pk, actor=reviewer)


def _stored_files(case: Case) -> list[str]:
    from letters.records.models import Record, ReleasedFile

    names = [
        name
        for record in Record.objects.filter(case=case)
        for name in (record.original.name, record.pdf.name)
        if name
    ]
    names += [f.file.name for f in ReleasedFile.objects.filter(release_set__case=case)]
    return sorted(set(names))


def _declared_sample(kind: Kind, *, items: bool = False) -> Case:
    """The sample case of a kind as its declaration says (letters.registry): its own, or the
    sample case of `sample_from` followed by `sample_steps` (each fired on the day it is
    entered, by the sample user of its role)."""
    declared = LETTERS[kind.key]
    if not declared.sample_from:
        return _build(kind, items=items)
    case = _build(KINDS[declared.sample_from], items=items)
    for name, role, fields in declared.sample_steps:
        case_transition(
            number=case.number,
            organ=case.organ,
            name=name,
            actor=User.objects.get(username=f"sample-{role}"),
            fields=dict(fields),
        )
    return _reload(case)


def _user(username: str, role: str) -> User:
    user = User.objects.create_user(username=username, last_name="示例", first_name=username)
    group, _created = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    return user


def _build(kind: Kind, *, items: bool = False) -> Case:
    now = timezone.now()
    today = timezone.localdate(now)
    calendar = working_calendar()

    def back(n: int) -> date:
        """The n-th working day before today (all dates lie in the past, in order)."""
        day = today
        while n > 0:
            day -= timedelta(days=1)
            if calendar.is_working_day(day):
                n -= 1
        return day

    organ = Organ.objects.filter(name=DEMO_ORGAN["name"]).first()
    if organ is None:
        organ = Organ.objects.create(**DEMO_ORGAN)
    from letters.models import LetterSettings

    LetterSettings.objects.get_or_create(
        organ=organ,
        defaults={
            "contact_person": "王登记",
            "fee_how": "银行转账",
            "fee_payee": "济南市非税收入财政专户（示例）",
            "fee_bank": "中国工商银行济南分行营业部（示例）",
            "fee_account": "1602000000000000000",
            "reply_series": "济退役军人依复",
        },
    )
    # An organ's division names are unique: reuse a division of that name when the organ (the
    # demo's, a bureau's) has one; the transaction is rolled back either way.
    division = Division.objects.filter(
        organ=organ, name="移交安置处"
    ).first() or Division.objects.create(organ=organ, code="sample-letters", name="移交安置处")
    users = {
        "registrar": _user("sample-registrar", Role.REGISTRAR),
        "head": _user("sample-head", Role.OFFICE_HEAD),
        "reviewer": _user("sample-reviewer", Role.REVIEWER),
        "liaison": _user("sample-liaison", Role.LIAISON),
    }
    division_grant_member(users["liaison"], division)
    disposition = kind.key.removeprefix("reply.") if kind.needs == "decision" else ""
    arrived = back(45)
    case = case_receive(
        organ=organ,
        actor=users["registrar"],
        channel=Channel.ONLINE,
        arrived_at=timezone.make_aware(datetime.combine(arrived, time(9, 30))),
        applicant=APPLICANT,
        agent=AGENT if disposition == Disposition.PARTIAL else None,
        request={
            "subject": ITEMS_SUBJECT if items else SUBJECT,
            "description": "请提供安置计划全文及落实情况。",
            "provision_form": "electronic",
            "delivery_method": "email",
        },
        now=now,
    )

    def fire(name: str, who: str, on: date, **fields: object) -> None:
        # Each step is entered on its own day, as an office keeping up would (no backdating).
        case_transition(
            number=case.number,
            organ=organ,
            name=name,
            actor=users[who],
            on=on,
            fields=fields,
            now=now - timedelta(days=(today - on).days),
        )

    fire(T.CONFIRM_RECEIPT, "registrar", arrived, method="网上系统确认")
    fire(T.REGISTER, "registrar", back(44))
    if kind.key == "acknowledgement":
        return _reload(case)
    if kind.key == "correction" or disposition in (
        Disposition.OTHER_NO_CORRECTION,
        Disposition.UNABLE_UNCLEAR_AFTER_CORRECTION,
    ):
        fire(
            T.REQUEST_CORRECTION,
            "registrar",
            back(43),
            items="请写明所需文件的名称、文号或者便于本机关查询的其他特征性描述。",
            deadline_on=back(35).isoformat(),
        )
        if kind.key == "correction":
            return _reload(case)
        if disposition == Disposition.OTHER_NO_CORRECTION:
            fire(T.ABANDON, "head", back(30), reason="逾期未补正")
            return _reload(case)
        fire(T.RECEIVE_CORRECTION, "registrar", back(38))
    fire(T.ASSIGN, "registrar", back(37), lead_division_id=division.pk)
    fire(T.CLAIM, "liaison", back(37))
    if kind.needs == "consultation":
        organ_party = kind.key == "consultation_organ"
        fire(
            T.OPEN_CONSULTATION,
            "liaison",
            back(36),
            party="other_organ" if organ_party else "third_party",
            party_name="济南市人力资源和社会保障局" if organ_party else "济南鲁安物业服务有限公司",
            matter="《2025年退役士兵安置计划落实情况报告》第三部分（安置单位及岗位明细）",
        )
        return _reload(case)
    if kind.key == "extension":
        fire(T.EXTEND, "head", back(30), days=15, reason="需要调取档案并征求第三方意见")
        return _reload(case)
    if kind.key == "fee_notice" or disposition == Disposition.OTHER_FEE_UNPAID:
        fire(T.NOTIFY_FEE, "liaison", back(36), method="per_page", quantity=150)
        if kind.key == "fee_notice":
            return _reload(case)
        fire(T.ABANDON, "head", back(2), reason="逾期未缴纳信息处理费")
        return _reload(case)
    proposal = {"reasons": "经核查，所申请信息的情况如上所述。"}
    proposal.update(PROPOSALS.get(disposition, {}))
    if disposition == Disposition.NOT_PROCESSED_UNREASONABLE:
        proposal["explanation_requested_on"] = back(20).isoformat()
    if disposition == Disposition.NOT_PROCESSED_REPEATED:
        # Art 36(6): the same applicant's earlier case, answered before this one arrived.
        proposal["earlier_case_number"] = _earlier_answered_case(
            organ, users, division, back(70), back(50), now
        )
    if proposal.get("arrangement"):
        proposal["arranged_on"] = timezone.localdate(now).isoformat()  # posted with the reply
    if disposition == Disposition.PARTIAL:
        # The withheld part comes from an approved release set of real records (Art 37).
        _sample_release(case, users["liaison"], users["reviewer"])
    if items:
        # The mixed answer for 部分公开; for any other kind every item gets its disposition.
        posted = timezone.localdate(now).isoformat()  # posted with the reply
        decided = (
            [{**d, "arranged_on": posted} if d.get("arrangement") else d for d in MIXED_ITEMS]
            if disposition == Disposition.PARTIAL
            else [{"position": n, "disposition": disposition, **proposal} for n in (1, 2, 3)]
        )
        fire(T.PROPOSE, "liaison", back(10), items=decided)
    else:
        fire(
            T.PROPOSE,
            "liaison",
            back(10),
            disposition=disposition,
            basis=DEFAULT_BASIS.get(disposition, "《中华人民共和国政府信息公开条例》第三十六条"),
            **proposal,
        )
    fire(T.CHECK, "reviewer", back(9))
    fire(T.APPROVE, "head", back(8))
    return _reload(case)


def _earlier_answered_case(
    organ: Organ,
    users: dict[str, User],
    division: Division,
    arrived: date,
    replied: date,
    now: datetime,
) -> str:
    """An earlier case of the sample's applicant, granted and its reply letter issued."""
    from letters.services import letter_issue

    earlier = case_receive(
        organ=organ,
        actor=users["registrar"],
        channel=Channel.IN_PERSON,
        arrived_at=timezone.make_aware(datetime.combine(arrived, time(9, 30))),
        applicant=APPLICANT,
        request={
            "subject": SUBJECT,
            "description": "请提供安置计划全文。",
            "provision_form": "electronic",
            "delivery_method": "email",
        },
        now=now,
    )
    steps: list[tuple[str, str, Payload]] = [
        (T.REGISTER, "registrar", {}),
        (T.ASSIGN, "registrar", {"lead_division_id": division.pk}),
        (T.CLAIM, "liaison", {}),
        (
            T.PROPOSE,
            "liaison",
            {
                "disposition": Disposition.GRANTED,
                "files": "安置计划1份",
                "arrangement": "post",  # a granted reply says how it provides (issue 21)
                "arranged_on": arrived.isoformat(),
            },
        ),
        (T.CHECK, "reviewer", {}),
        (T.APPROVE, "head", {}),
    ]
    # Each step entered on the day it happened: the sample records no backdated step.
    entered = timezone.make_aware(datetime.combine(arrived, time(10, 0)))
    for name, who, fields in steps:
        case_transition(
            number=earlier.number,
            organ=organ,
            name=name,
            actor=users[who],
            on=arrived,
            fields=fields,
            now=entered,
        )
    letter_issue(
        number=earlier.number,
        kind="reply.granted",
        actor=users["registrar"],
        now=timezone.make_aware(datetime.combine(replied, time(10, 0))),
    )
    return earlier.number


def _reload(case: Case) -> Case:
    return Case.objects.select_related("organ", "applicant", "agent").get(pk=case.pk)


def sample_pdf(
    kind: Kind, *, number: str | None = None, files: str | None = None, items: bool = False
) -> bytes:
    """The PDF of a sample letter of `kind`, rendered as letter_issue renders it; `files`
    replaces the attachment list (附件说明: one name a line) to see a long one laid out;
    `items` makes the request one of three items, answered item by item."""
    from letters.context import build_letter_context
    from letters.rendering import html_to_pdf, render_letter_html, seal_data_uri
    from letters.services import current_wording, number_series, seal_allowed

    with sample_case(kind, items=items) as case:
        issued_on = timezone.localdate()
        context = build_letter_context(
            case=case,
            kind=kind,
            number=number or f"{number_series(case, kind)}〔{issued_on.year}〕1号",
            issued_on=issued_on,
        )
        if files is not None:
            context["files"] = files
        html = render_letter_html(
            context=context,
            wording=current_wording(kind.key).body,
            verification_code="SAMP-LE00-0000",
            # As on issue: the seal only where the letter's step was approved.
            seal=(seal_data_uri(case.organ.seal.path if case.organ.seal else None) or sample_seal())
            if seal_allowed(case, kind)
            else None,
        )
    return html_to_pdf(html)


def specimen_seal_png() -> bytes:
    """A specimen seal (红色圆章, 42 mm, marked 样章) as a PNG: samples use it when the organ
    has no seal, and the demo organ gets it as its seal so that its letters show one."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    from letters.fonts import families
    from letters.typeset import font_file

    size = 420
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (230, 0, 0, 255)
    draw.ellipse((8, 8, size - 8, size - 8), outline=red, width=14)
    centre, radius = size / 2, 70
    points = []
    import math

    for n in range(10):
        r = radius if n % 2 == 0 else radius * 0.38
        angle = math.pi / 2 + n * math.pi / 5
        points.append((centre + r * math.cos(angle), centre - r * math.sin(angle)))
    draw.polygon(points, fill=red)
    path = font_file(families("fallback")[0])
    if path:
        font = ImageFont.truetype(path, 64)
        draw.text((centre, centre + 120), "样章", fill=red, font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def sample_seal() -> str:
    """The specimen seal as a data URI (samples of an organ without a seal)."""
    import base64

    return "data:image/png;base64," + base64.b64encode(specimen_seal_png()).decode()
