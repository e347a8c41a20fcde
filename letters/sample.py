"""An unsaved demo case that fits any kind of letter (for letter_sample and bench_letters)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.utils import timezone

from casework.choices import ApplicantCategory, CaseStatus, Channel, Disposition, IdType
from casework.models import Agent, Applicant, Case, Event, Organ
from letters.kinds import DEFAULT_BASIS, Kind

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


class _Events:
    """A stand-in for case.events on an unsaved case: the few queries the context makes."""

    def __init__(self, events: list[Event]) -> None:
        self._events = events

    def filter(self, kind: Any = None, kind__in: Any = None) -> _Events:
        kinds = set(kind__in or [kind])
        return _Events([e for e in self._events if e.kind in kinds])

    def order_by(self, *fields: str) -> _Events:
        return _Events(sorted(self._events, key=lambda e: e.seq, reverse=fields[0].startswith("-")))

    def first(self) -> Event | None:
        return self._events[0] if self._events else None

    def exists(self) -> bool:
        return bool(self._events)


class SampleCase:
    """An unsaved case with in-memory events, for rendering samples (never saved)."""

    def __init__(self, case: Case, events: list[Event]) -> None:
        self._case = case
        self.events = _Events(events)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._case, name)


def sample_case(kind: Kind) -> Case:
    today = timezone.localdate()
    received = today - timedelta(days=14)
    organ = Organ.objects.filter(name=DEMO_ORGAN["name"]).first() or Organ(**DEMO_ORGAN)
    applicant = Applicant(
        category=ApplicantCategory.NATURAL_PERSON,
        name="张建国",
        id_type=IdType.RESIDENT_ID,
        id_number="370102198001011237",
        phone="13806400001",
    )
    agent = Agent(
        name="郑律师",
        id_type=IdType.RESIDENT_ID,
        id_number="37010219900307456X",
        phone="13706400004",
    )
    disposition = (
        kind.key.removeprefix("reply.") if kind.needs == "decision" else Disposition.GRANTED
    )
    case = Case(
        organ=organ,
        number=f"{today.year}-0001",
        year=today.year,
        status=CaseStatus.APPROVED,
        channel=Channel.ONLINE,
        arrived_at=timezone.make_aware(datetime.combine(received, time(9))),
        received_on=received,
        applicant=applicant,
        agent=agent if kind.key == "reply.partial" else None,
        subject="本市2025年退役士兵安置计划及落实情况",
        provision_form="electronic",
        delivery_method="email",
        disposition=disposition,
        disposition_basis=DEFAULT_BASIS.get(disposition, ""),
        reply_due_on=received + timedelta(days=30),
        extension_days=15,
    )

    def event(seq: int, kind_: str, on: date, **payload: Any) -> Event:
        return Event(seq=seq, kind=kind_, on=on, payload=payload)

    events = [
        event(
            1,
            "request_correction",
            received + timedelta(days=2),
            items="请写明所需文件的名称或文号。",
            deadline_on=(received + timedelta(days=12)).isoformat(),
        ),
        event(
            2,
            "open_consultation",
            received + timedelta(days=5),
            consultation_id="c1",
            party="third_party",
            party_name="济南鲁安物业服务有限公司",
            matter="物业服务合同中的报价条款",
        ),
        event(
            3,
            "extend",
            received + timedelta(days=20),
            days=15,
            reason="需要调取档案并征求第三方意见",
        ),
        event(
            4,
            "notify_fee",
            received + timedelta(days=6),
            method="per_page",
            quantity=150,
            amount="1700.00",
        ),
        event(
            5,
            "propose",
            received + timedelta(days=25),
            reasons="所申请信息中含有第三方商业秘密。",
            withheld="合同第五条报价明细，涉及第三方商业秘密，依据《条例》第十五条不予公开。",
            files="《退役士兵安置计划》1份（电子版）",
        ),
    ]
    return cast(Case, SampleCase(case, events))
