"""The supervision dashboard's counts (casework.case_counts, issue 27) are kept by the lifecycle
in the transaction of each step: a seeded random walk of transitions — every transition of
the table, fired on random cases by their actors, with failures rolled back, calendar
recomputes in between — keeps them equal to a full recount after every step. Runs on SQLite
and on PostgreSQL (DATABASE_URL)."""

import random
from collections import Counter
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

import pytest

from casework.case_counts import (
    CaseCountsRebuild,
    CaseDayCount,
    OpenCaseCount,
    counts_rebuild,
    counts_verify,
)
from casework.choices import OPEN_STATUSES, CaseStatus, Channel
from casework.errors import InvalidInput, NotPermitted, WrongState
from casework.lifecycle import cases_recompute_clocks
from casework.models import Case
from tests.casework.lifecycle.test_machine import BASE, TABLE, _now_for, _on_for, _prepare
from tests.conftest import NOW, at

# The table's rows by the status they start from ("online": a received online case).
BY_SOURCE: dict[str, list[tuple[str, str, dict]]] = {}
for name, source, who, fields, *_rest in TABLE:
    BY_SOURCE.setdefault(source, []).append((name, who, fields))
# A second routing, so that cases move between divisions.
BY_SOURCE[CaseStatus.REGISTERED].append(("assign", "reviewer", {"lead_division_id": "b"}))


def _walk(seed, steps, receive, fire, divisions, check_every=1):
    rng = random.Random(seed)
    cases: list[Case] = []
    fired: Counter[str] = Counter()
    refusals: Counter[str] = Counter()
    for step in range(steps):
        roll = rng.random()
        if not cases or roll < 0.12:
            channel = rng.choice([Channel.IN_PERSON, Channel.IN_PERSON, Channel.ONLINE])
            # within Art 30's seven working days of the table's correction notice (3-10)
            arrived = BASE + timedelta(days=rng.randrange(-3, 6))
            cases.append(receive(channel=channel, arrived=arrived))
            fired["receive"] += 1
        elif roll < 0.14:
            cases_recompute_clocks(now=NOW + timedelta(days=rng.randrange(0, 30)), force=True)
            fired["recompute"] += 1
        else:
            case = rng.choice(cases)
            case.refresh_from_db()
            source = case.status
            if source == CaseStatus.RECEIVED and case.received_on is None:
                source = "online"
            choices = BY_SOURCE.get(source, [])
            if not choices:
                continue
            name, who, fields = rng.choice(choices)
            if who == "liaison_a" and case.lead_division_id == divisions["b"].pk:
                who = "liaison_b"  # the division's own liaison officer
            if name == "transfer":  # to the other division with a liaison officer
                other = "b" if case.lead_division_id == divisions["a"].pk else "a"
                fields = {**fields, "lead_division_id": other}
            try:
                with transaction.atomic():
                    fire(
                        case,
                        name,
                        who,
                        on=_on_for(name),
                        now=_now_for(name),
                        **_prepare(fields, divisions, case),
                    )
                fired[name] += 1
            except (InvalidInput, NotPermitted, WrongState) as refused:
                fired["refused"] += 1
                refusals[f"{name}: {refused}"] += 1  # rolled back; the counts still hold
        if step % check_every == 0:
            assert counts_verify() == [], (seed, step, fired)
    assert counts_verify() == []
    return cases, fired


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_transitions_keep_the_counts_equal_to_a_full_recount(seed, receive, fire, divisions):
    _cases, fired = _walk(seed, 120, receive, fire, divisions)
    # The walk went through opening, moving, extending and closing steps.
    assert fired["receive"] >= 5
    assert sum(fired.values()) - fired["refused"] - fired["receive"] >= 40, fired
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses & OPEN_STATUSES
    assert OpenCaseCount.objects.exists()
    assert CaseDayCount.objects.filter(received__gt=0).exists()


@pytest.mark.django_db
def test_a_long_walk_closes_cases_and_counts_them_closed(receive, fire, divisions):
    _cases, fired = _walk(7, 260, receive, fire, divisions, check_every=10)
    closed = Case.objects.exclude(status__in=OPEN_STATUSES)
    assert closed.exists(), fired
    assert CaseDayCount.objects.filter(closed__gt=0).exists()
    # A case whose status is not open (whatever terminal status) counts in no open row.
    assert not OpenCaseCount.objects.exclude(status__in=OPEN_STATUSES).exists()
    total_open = sum(OpenCaseCount.objects.values_list("n", flat=True))
    assert total_open == Case.objects.filter(status__in=OPEN_STATUSES).count()


@pytest.mark.django_db
def test_the_check_fails_on_a_wrong_count_and_the_rebuild_corrects_it(
    receive, fire, divisions, users
):
    for _k in range(3):
        case = receive(arrived=BASE)
        fire(case, "register", "registrar", on=BASE)
    call_command("case_counts_rebuild", "--check", stdout=StringIO())
    row = OpenCaseCount.objects.get()
    assert (row.n, row.status) == (3, CaseStatus.REGISTERED)
    OpenCaseCount.objects.filter(pk=row.pk).update(n=2)
    CaseDayCount.objects.filter(received__gt=0).order_by("day").first().delete()
    assert len(counts_verify()) == 2
    with pytest.raises(CommandError, match="统计数与全量重算不符：2 处"):
        call_command("case_counts_rebuild", "--check", stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("case_counts_rebuild", stdout=out, stderr=StringIO())
    assert "已重算 3 件案件的统计数，更正 2 行" in out.getvalue()
    assert counts_verify() == []
    assert CaseCountsRebuild.objects.latest("finished_at").cases == 3


@pytest.mark.django_db
def test_a_rebuild_of_right_counts_corrects_nothing(receive, fire, divisions):
    _walk(11, 40, receive, fire, divisions, check_every=40)
    run = counts_rebuild(now=at(BASE))
    assert run.corrected == 0
    assert counts_verify() == []
