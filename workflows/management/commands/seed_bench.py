"""Fill the database with realistic synthetic cases for benchmarks.

    manage.py seed_bench --cases 100000

Creates the organ 性能测试机关 (once) with 20 divisions and a liaison officer each, a pool
of applicants of every category, and cases received over 2025–2026 in every state, each
with an event history that the lifecycle could have written and the stored clock computed
from it. Rows are written in bulk (the lifecycle would take minutes for 100,000 cases);
the organ is separate from the demo's, so benchmarks never touch real data.

Run again, it adds cases to the existing benchmark organ (numbers go on, each new case's
event chain starts at the genesis hash, so `verify_audit` still holds). A division's open
investigations are spread over as many liaison officers as it takes for none to hold more
than --officer-load (300) assigned tasks: the benchmark officer `bench_liaison_01` holds a
realistic desk at 100,000 cases as at 1,000,000, and the bench prints how many.
"""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone

from casework.audit_chain import GENESIS, event_digest_of
from casework.case_counts import CountedCase, OpenCaseCount, counts_apply
from casework.choices import (
    OPEN_STATUSES,
    ApplicantCategory,
    CaseStatus,
    Channel,
    Disposition,
    IdType,
    Role,
)
from casework.clock import ClockEvent, compute_clock
from casework.lifecycle import CLOCK_FIELDS, clock_values
from casework.management.progress import ProgressBar
from casework.models import Applicant, Case, CaseNumberCounter, Division, Event, Organ
from casework.payloads import Payload
from casework.permissions import DIVISION_PERM, division_grant_member
from casework.selectors import working_calendar
from casework.workdays import WorkingCalendar
from workflows.viewflow_adapter import Token

BENCH_ORGAN = "性能测试机关"
# One seeded step of a case's history: (event kind, day, payload, acting officer or None).
Step = tuple[str, date, Payload, User | None]
OFFICER_LOAD = 300  # assigned open tasks per liaison officer (a realistic desk)
# The states in which the case's assignee holds an open (ASSIGNED) task.
HELD = (CaseStatus.INVESTIGATION, CaseStatus.AWAITING_FEE)
START_TOKEN = Token("start")  # viewflow's execution token of a flow without splits

# (status, share) — open states are a minority, as in a real year.
STATES = [
    (CaseStatus.RECEIVED, 2),
    (CaseStatus.REGISTERED, 2),
    (CaseStatus.CORRECTION, 2),
    (CaseStatus.HANDLING, 6),
    (CaseStatus.INVESTIGATION, 14),
    (CaseStatus.AWAITING_FEE, 1),
    (CaseStatus.REVIEW, 5),
    (CaseStatus.APPROVED, 3),
    (CaseStatus.REPLIED, 25),
    (CaseStatus.ARCHIVED, 35),
    (CaseStatus.WITHDRAWN, 3),
    (CaseStatus.ABANDONED, 2),
]
# The path of transitions that leads to each state.
PATHS: dict[str, list[str]] = {
    CaseStatus.RECEIVED: [],
    CaseStatus.REGISTERED: ["register"],
    CaseStatus.CORRECTION: ["register", "request_correction"],
    CaseStatus.HANDLING: ["register", "assign"],
    CaseStatus.INVESTIGATION: ["register", "assign", "claim"],
    CaseStatus.AWAITING_FEE: ["register", "assign", "claim", "notify_fee"],
    CaseStatus.REVIEW: ["register", "assign", "claim", "propose"],
    CaseStatus.APPROVED: ["register", "assign", "claim", "propose", "approve"],
    CaseStatus.REPLIED: ["register", "assign", "claim", "propose", "approve", "issue_reply"],
    CaseStatus.ARCHIVED: [
        "register",
        "assign",
        "claim",
        "propose",
        "approve",
        "issue_reply",
        "archive",
    ],
    CaseStatus.WITHDRAWN: ["register", "assign", "withdraw"],
    CaseStatus.ABANDONED: ["register", "request_correction", "abandon"],
}
STATUS_AFTER = {
    "receive": CaseStatus.RECEIVED,
    "register": CaseStatus.REGISTERED,
    "request_correction": CaseStatus.CORRECTION,
    "assign": CaseStatus.HANDLING,
    "claim": CaseStatus.INVESTIGATION,
    "notify_fee": CaseStatus.AWAITING_FEE,
    "propose": CaseStatus.REVIEW,
    "approve": CaseStatus.APPROVED,
    "issue_reply": CaseStatus.REPLIED,
    "archive": CaseStatus.ARCHIVED,
    "withdraw": CaseStatus.WITHDRAWN,
    "abandon": CaseStatus.ABANDONED,
}
DISPOSITIONS = (
    [Disposition.GRANTED] * 5
    + [Disposition.PARTIAL] * 2
    + [Disposition.UNABLE_NOT_HELD] * 3
    + [
        Disposition.REFUSED_PROCESS_INFORMATION,
        Disposition.NOT_PROCESSED_PETITION,
        Disposition.REFUSED_THIRD_PARTY_RIGHTS,
    ]
)


class Officers:
    """The liaison officers of each benchmark division and the assigned open tasks each holds.
    A case that stays on an officer's desk goes to the division's officer with room, a new
    officer (bench_liaison_NN_K) when all are full; the division's first officer is
    bench_liaison_NN, the benchmark's."""

    def __init__(
        self, organ: Organ, divisions: list[Division], first: dict[int, User], load: int
    ) -> None:
        self.load = load
        self.liaison = Group.objects.get(name=Role.LIAISON)
        self.by_division: dict[int, list[User]] = {}
        for division in divisions:
            prefix = first[division.pk].username
            extra = User.objects.filter(username__startswith=f"{prefix}_").order_by("username")
            self.by_division[division.pk] = [first[division.pk], *extra]
        self.held: dict[int, int] = {}
        self.refresh()
        self.divisions = {d.pk: d for d in divisions}

    def refresh(self) -> None:
        """The desks as the database has them (seeders side by side fill them too)."""
        from workflows.viewflow_adapter import STATUS, Task

        everyone = [u.pk for users in self.by_division.values() for u in users]
        self.held = dict.fromkeys(everyone, 0)
        self.held.update(
            Task.objects.filter(owner_id__in=everyone, status=STATUS.ASSIGNED)
            .values_list("owner_id")
            .annotate(n=Count("pk"))
            .order_by()
        )

    def holding(self, division: Division) -> User:
        """The officer who takes one more open task in `division` (the first with room)."""
        users = self.by_division[division.pk]
        for user in users:
            if self.held[user.pk] < self.load:
                break
        else:
            username = f"{users[0].username}_{len(users) + 1:02d}"
            try:
                with transaction.atomic():
                    user, created = User.objects.get_or_create(
                        username=username,
                        defaults={"last_name": "测试", "first_name": f"联络员{len(users) + 1:02d}"},
                    )
            except IntegrityError:  # a seeder side by side made it a moment ago
                user, created = User.objects.get(username=username), False
            if created:
                user.set_unusable_password()
                user.save()
                user.groups.add(self.liaison)
                division_grant_member(user, division)
            users.append(user)
            self.held.setdefault(user.pk, 0)
        self.held[user.pk] += 1
        return user

    def any(self, division: Division, rng: random.Random) -> User:
        """Who handled a case that is no longer on anyone's desk."""
        return rng.choice(self.by_division[division.pk])

    def count(self) -> int:
        return sum(len(users) for users in self.by_division.values())


class Command(BaseCommand):
    help = "Fill the database with synthetic cases, events and stored clocks for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument(
            "--officer-load",
            type=int,
            default=OFFICER_LOAD,
            help="at most this many assigned open tasks per liaison officer",
        )
        parser.add_argument(
            "--open-only",
            action="store_true",
            help="only cases still being handled (for recompute_deadlines)",
        )

    def handle(
        self,
        *args: Any,
        cases: int,
        seed: int,
        batch: int,
        open_only: bool,
        officer_load: int,
        **options: Any,
    ) -> None:
        if not 1 <= cases <= 2_000_000:
            raise CommandError("--cases 须在 1 至 2,000,000 之间。")
        if officer_load < 1:
            raise CommandError("--officer-load 须为正数。")
        organ, divisions, first_officers = self._organ()
        # A second run with the same seed adds other cases than the first (not a replay).
        rng = random.Random(seed + Case.objects.filter(organ=organ).count())
        officers = Officers(organ, divisions, first_officers, officer_load)
        applicants = self._applicants(organ, rng)
        calendar = working_calendar()
        today = timezone.localdate()
        # Steps are entered at 10:00 of their day; one of today, seeded before 10:00 (Beijing
        # time), is entered at the day's start instead, never in the future.
        seeded_at = timezone.now()
        states = [
            s for s, share in STATES for _ in range(share) if not open_only or s in OPEN_STATUSES
        ]
        counter, _ = CaseNumberCounter.objects.get_or_create(organ=organ, year=2099)
        database_chains = connection.vendor == "postgresql"
        # A database migrated before casework 0021 has no counts yet (case_counts_rebuild).
        counted = OpenCaseCount._meta.db_table in connection.introspection.table_names()
        progress = ProgressBar("生成测试案件")
        made = 0
        while made < cases:
            size = min(batch, cases - made)
            # The numbers are taken in a short transaction of their own, so that several
            # seeders can add to one database side by side.
            with transaction.atomic():
                counter = CaseNumberCounter.objects.select_for_update().get(pk=counter.pk)
                first = counter.last + 1
                counter.last += size
                counter.save(update_fields=["last"])
            # The cases are made before the inserts' transaction: an officer made on the way
            # is committed at once (two seeders waiting on each other's new user deadlocked).
            officers.refresh()
            rows: list[Case] = []
            histories: list[list[Step]] = []
            for i in range(size):
                case, history = self._case(
                    organ, divisions, officers, applicants, states, rng, calendar, today, first + i
                )
                rows.append(case)
                histories.append(history)
            with transaction.atomic():
                Case.objects.bulk_create(rows, batch_size=1000)
                events = []
                for case, history in zip(rows, histories, strict=True):
                    previous, prev_hash = "", GENESIS
                    for seq, (kind, on, payload, actor) in enumerate(history, start=1):
                        status = STATUS_AFTER.get(kind, previous)
                        event = Event(
                            case_id=case.pk,
                            seq=seq,
                            kind=kind,
                            actor=actor,
                            actor_name=actor.last_name + actor.first_name if actor else "系统",
                            actor_role=Role.REGISTRAR,
                            on=on,
                            entered_at=_entered_at(on, seeded_at),
                            from_status=previous,
                            to_status=status,
                            payload=payload,
                            prev_hash=prev_hash,
                        )
                        # The same chain the ledger writes (casework/audit_chain.py), so a
                        # benchmark database passes `manage.py verify_audit`. On PostgreSQL
                        # the trigger of migration 0018 overrides seq, entered_at and the
                        # hashes row by row (it sees the earlier rows of the same INSERT).
                        if not database_chains:  # PostgreSQL's trigger hashes each row
                            event.hash = prev_hash = event_digest_of(event)
                        events.append(event)
                        previous = status
                Event.objects.bulk_create(events, batch_size=2000)
                if counted:  # the dashboard's counts (casework.case_counts)
                    counts_apply((None, CountedCase.of(c)) for c in rows)
                self._flows(rows, first_officers, today)
            made += size
            progress(made, cases)
        if connection.vendor == "postgresql":
            # Fresh statistics: with the planner's estimates from before the bulk insert, the
            # queue queries chose plans several times slower.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"已生成 {cases} 件案件（机关：{organ.name}，处室 {len(divisions)} 个，"
            f"联络员 {officers.count()} 名，每人在办任务至多 {officer_load} 件）。"
        )

    def _flows(self, cases: list[Case], officers: dict[int, User], today: date) -> None:
        """The viewflow process of each case with its finished tasks and its open task(s),
        as the flow would have left them (bulk: viewflow cannot bulk-create processes)."""
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection

        from workflows.flows import REVIEW_PERM as REVIEW
        from workflows.flows import SIGN_OFF_PERM, TRIAGE_PERM, CaseFlow
        from workflows.viewflow_adapter import Process, Task

        division_type = ContentType.objects.get_for_model(Division)
        now = timezone.now()
        finished: dict[str, str] = {
            CaseStatus.ARCHIVED: "DONE",
            CaseStatus.WITHDRAWN: "CANCELED",
            CaseStatus.ABANDONED: "CANCELED",
        }
        processes = Process.objects.bulk_create(
            [
                Process(
                    flow_class=CaseFlow,
                    status=finished.get(c.status, "NEW"),
                    created=now,
                    finished=now if c.status in finished else None,
                )
                for c in cases
            ],
            batch_size=1000,
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO workflows_caseprocess (process_ptr_id, case_id) VALUES (%s, %s)",
                [(p.pk, c.pk) for p, c in zip(processes, cases, strict=True)],
            )
        done_path = ["triage", "investigate", "review", "sign_off", "issue", "deliver", "file"]
        # the open task per state: (node, permission, on the division?, assigned?)
        current: dict[str, tuple[str, str, bool, bool]] = {
            CaseStatus.RECEIVED: ("triage", TRIAGE_PERM, False, False),
            CaseStatus.REGISTERED: ("triage", TRIAGE_PERM, False, False),
            CaseStatus.CORRECTION: ("triage", TRIAGE_PERM, False, False),
            CaseStatus.HANDLING: ("investigate", DIVISION_PERM, True, False),
            CaseStatus.INVESTIGATION: ("investigate", DIVISION_PERM, True, True),
            CaseStatus.AWAITING_FEE: ("investigate", DIVISION_PERM, True, True),
            CaseStatus.REVIEW: ("review", REVIEW, False, False),
            CaseStatus.APPROVED: ("issue", TRIAGE_PERM, False, False),
            CaseStatus.REPLIED: ("deliver", TRIAGE_PERM, False, False),
        }
        perms = {
            "triage": TRIAGE_PERM,
            "investigate": DIVISION_PERM,
            "review": REVIEW,
            "sign_off": SIGN_OFF_PERM,
            "issue": TRIAGE_PERM,
            "deliver": TRIAGE_PERM,
            "file": TRIAGE_PERM,
        }
        tasks = []
        for process, case in zip(processes, cases, strict=True):
            tasks.append(
                Task(
                    process=process,
                    flow_task=CaseFlow.start,
                    flow_task_type="START",
                    status="DONE",
                    token=START_TOKEN,
                    created=now,
                    started=now,
                    finished=now,
                )
            )
            open_node = current.get(case.status)
            stop = done_path.index(open_node[0]) if open_node else len(done_path)
            if case.status in (CaseStatus.WITHDRAWN, CaseStatus.ABANDONED):
                stop = 1
            for node in done_path[:stop]:
                on_division = node == "investigate"
                tasks.append(
                    Task(
                        process=process,
                        flow_task=getattr(CaseFlow, node),
                        flow_task_type="HUMAN",
                        status="DONE",
                        token=START_TOKEN,
                        created=now,
                        started=now,
                        finished=now,
                        owner=(case.assignee or officers[case.lead_division_id])
                        if on_division and case.lead_division_id
                        else None,
                        owner_permission=perms[node],
                        owner_permission_content_type=division_type if on_division else None,
                        owner_permission_obj_pk=str(case.lead_division_id)
                        if on_division and case.lead_division_id
                        else None,
                    )
                )
            if open_node:
                node, perm, on_division, assigned = open_node
                tasks.append(
                    Task(
                        process=process,
                        flow_task=getattr(CaseFlow, node),
                        flow_task_type="HUMAN",
                        status="ASSIGNED" if assigned else "NEW",
                        token=START_TOKEN,
                        created=now,
                        owner=case.assignee if assigned else None,
                        owner_permission=perm,
                        owner_permission_content_type=division_type if on_division else None,
                        owner_permission_obj_pk=str(case.lead_division_id) if on_division else None,
                    )
                )
        Task.objects.bulk_create(tasks, batch_size=2000)

    def _organ(self) -> tuple[Organ, list[Division], dict[int, User]]:
        organ, _ = Organ.objects.get_or_create(
            name=BENCH_ORGAN,
            defaults={
                "address": "测试地址",
                "postal_code": "250000",
                "phone": "0531-00000000",
                "reconsideration_organ": "测试市人民政府",
            },
        )
        divisions, officers = [], {}
        liaison = Group.objects.get(name=Role.LIAISON)
        for n in range(1, 21):
            division, _ = Division.objects.get_or_create(
                organ=organ, code=f"bench-{n:02d}", defaults={"name": f"测试处室{n:02d}"}
            )
            user, created = User.objects.get_or_create(
                username=f"bench_liaison_{n:02d}",
                defaults={"last_name": "测试", "first_name": f"联络员{n:02d}"},
            )
            if created:
                user.set_unusable_password()
                user.save()
                user.groups.add(liaison)
                division_grant_member(user, division)
            divisions.append(division)
            officers[division.pk] = user
        return organ, divisions, officers

    def _applicants(self, organ: Organ, rng: random.Random) -> list[Applicant]:
        existing = list(Applicant.objects.filter(name__startswith="测试申请人")[:2000])
        if existing:
            return existing
        categories = [ApplicantCategory.NATURAL_PERSON] * 12 + [
            c for c in ApplicantCategory.values if c != ApplicantCategory.NATURAL_PERSON
        ]
        rows = []
        for n in range(2000):
            category = rng.choice(categories)
            person = category == ApplicantCategory.NATURAL_PERSON
            rows.append(
                Applicant(
                    category=category,
                    name=f"测试申请人{n:04d}",
                    id_type=IdType.PASSPORT if person else "",
                    id_number=f"E{n:08d}" if person else "",
                    credit_code="" if person else "91370100MA3C5XY014",
                    contact_person="" if person else "联系人",
                    phone=f"138{n:08d}",
                )
            )
        return Applicant.objects.bulk_create(rows)

    def _case(
        self,
        organ: Organ,
        divisions: list[Division],
        officers: Officers,
        applicants: list[Applicant],
        states: list[CaseStatus],
        rng: random.Random,
        calendar: WorkingCalendar,
        today: date,
        seq: int,
    ) -> tuple[Case, list[Step]]:
        state = rng.choice(states)
        path = PATHS[state]
        closed = state in (
            CaseStatus.REPLIED,
            CaseStatus.ARCHIVED,
            CaseStatus.WITHDRAWN,
            CaseStatus.ABANDONED,
        )
        # Open cases are recent; closed ones spread over 2025–2026.
        span = 45 if not closed else 650
        received = today - timedelta(days=rng.randrange(3, span))
        channel = rng.choice(Channel.values)
        division = rng.choice(divisions)
        # The case's officer: one with room on the desk when the case stays with them.
        officer = officers.holding(division) if state in HELD else officers.any(division, rng)
        day = received
        history: list[Step] = [
            ("receive", received, {"channel": channel, "received_on": received.isoformat()}, None)
        ]
        disposition = ""
        for kind in path:
            day = min(today, calendar.add_working_days(day, rng.randrange(0, 3)))
            payload: Payload = {}
            actor = None
            if kind == "request_correction":
                payload = {
                    "items": "请写明文件名称",
                    "deadline_on": (day + timedelta(days=15)).isoformat(),
                }
            elif kind == "assign":
                payload = {
                    "lead_division_id": division.pk,
                    "lead_division": division.name,
                    "co_division_ids": [],
                    "co_divisions": [],
                }
            elif kind == "claim":
                actor = officer
                if rng.random() < 0.1:
                    history.append(("claim", day, {"assignee": officer.username}, actor))
                    history.append(
                        (
                            "open_consultation",
                            day,
                            {
                                "consultation_id": f"c{seq}",
                                "party": "third_party",
                                "party_name": "第三方",
                            },
                            actor,
                        )
                    )
                    if rng.random() < 0.7:
                        history.append(
                            (
                                "close_consultation",
                                min(today, day + timedelta(days=rng.randrange(1, 20))),
                                {"consultation_id": f"c{seq}", "opinion": "agree"},
                                actor,
                            )
                        )
                    continue
            elif kind == "notify_fee":
                payload = {
                    "method": "per_piece",
                    "quantity": 12,
                    "amount": "200.00",
                    "notice_received_on": day.isoformat(),
                }
            elif kind == "propose":
                disposition = rng.choice(DISPOSITIONS)
                payload = {
                    "disposition": disposition,
                    "basis": "《条例》第三十六条",
                    "reasons": "测试",
                }
                actor = officer
            elif kind == "abandon":
                day = today
                payload = {"disposition": Disposition.OTHER_NO_CORRECTION}
                disposition = Disposition.OTHER_NO_CORRECTION
            history.append((kind, day, payload, actor))
        history.sort(key=lambda item: item[1])
        result = compute_clock(
            [ClockEvent(kind=k, on=on, payload=p) for k, on, p, _a in history], calendar
        )
        values = dict(zip(CLOCK_FIELDS, clock_values(result), strict=True))
        assigned = "assign" in path
        case = Case(
            organ=organ,
            number=f"T-{seq:07d}",
            year=received.year,
            status=state,
            channel=channel,
            arrived_at=timezone.make_aware(datetime.combine(received, time(9))),
            received_on=received,
            applicant=rng.choice(applicants),
            subject=f"测试申请{seq}",
            provision_form="paper",
            delivery_method="post",
            lead_division=division if assigned else None,
            assignee=officer if "claim" in path else None,
            disposition=disposition,
            closed_on=result.closed_on,
            **values,
        )
        return case, history


def _entered_at(on: date, seeded_at: datetime) -> datetime:
    """When a seeded step is entered: 10:00 on its day, or the day's start when that is still
    to come (a step of today seeded in the early hours); never after the seeding."""
    moment = timezone.make_aware(datetime.combine(on, time(10)))
    if moment <= seeded_at:
        return moment
    return timezone.make_aware(datetime.combine(on, time(0)))
