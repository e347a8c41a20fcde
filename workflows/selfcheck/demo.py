"""The demo's self-check (issue 26): a refusal on process information answered some weeks
ago, two more applicants asking what the demo's first applicant asked (a popular topic with
the first case), and a campaign opened by the head of the OGI office, so the divisions'
workbenches show their self-check panel at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib.auth.models import User
from django.utils import timezone

from casework.choices import Channel, Disposition
from casework.library.index import entry_refresh
from casework.models import Case, Division, Organ
from casework.payloads import Payload
from casework.selfcheck.models import Campaign
from casework.selfcheck.services import campaign_open


def selfcheck_demo(
    *,
    organ: Organ,
    divisions: dict[str, Division],
    users: dict[str, User],
    receive: Callable[..., Case],
    fire: Callable[..., None],
    back: Callable[[int], date],
    person: Callable[..., Payload],
) -> Campaign:
    refused = receive(
        Channel.IN_PERSON,
        back(40),
        person("孙立华", "370102197505051238", "13606400005"),
        "2026年退役军人服务站标准化建设评估意见",
    )
    fire(refused, "register", "registrar", back(40))
    fire(refused, "assign", "reviewer", back(39), lead_division_id=divisions["placement"].pk)
    fire(refused, "claim", "liaison_placement", back(39))
    fire(
        refused,
        "propose",
        "liaison_placement",
        back(35),
        disposition=Disposition.REFUSED_PROCESS_INFORMATION,
        basis="《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
        reasons="评估工作尚在进行，评估意见属于过程性信息",
    )
    fire(refused, "check", "reviewer", back(34))
    fire(refused, "approve", "head", back(34))
    fire(refused, "issue_reply", "registrar", back(33))
    # Two more applicants ask for the placement plan the demo's first applicant asked for.
    asked = [
        receive(Channel.IN_PERSON, back(n), person(name, number, phone), subject)
        for n, name, number, phone, subject in (
            (9, "周明", "370102199001011231", "13606400006", "2025年退役士兵安置计划"),
            (7, "吴芳", "370102198502021230", "13606400007", "本市2025年度退役士兵安置计划"),
        )
    ]
    fire(asked[0], "register", "registrar", back(9))
    fire(asked[0], "assign", "reviewer", back(8), lead_division_id=divisions["placement"].pk)
    for case in Case.objects.filter(organ=organ):
        entry_refresh(case.pk)
    today = timezone.localdate()
    return campaign_open(
        organ=organ,
        actor=users["head"],
        now=timezone.now(),
        title=f"{today.year}年政府信息公开自查",
        period_start=date(today.year - 1, 1, 1),
        period_end=today,
        working_days=15,
    )
