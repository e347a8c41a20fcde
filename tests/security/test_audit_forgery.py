"""Issue 22, point 5: the database writes the audit chain.

The finding: with the application role's database access, an appended back-dated urge in the
office head's name, with correct hashes, passed `verify_audit`, even against an anchor taken
just before. Now, on PostgreSQL, a trigger sets the event's `seq`, entry time and hashes
(migration 0018), so the application role cannot choose them; the history shows when the
event was really entered; and an event that does carry a back-dated entry time (written where
no trigger runs) is flagged by `verify_audit` against the latest published anchor.

SQLite has no roles and no trigger (docs/DEPLOY.md §8): there, the documented equivalent is
shown — the forged append goes in as written, and `verify_audit` flags it against the
published anchor.
"""

from datetime import date, datetime
from io import StringIO
from typing import Any

from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

import pytest

from casework.anchors import anchor_latest_published, anchor_publish
from casework.audit_chain import event_digest
from casework.ledger import audit_anchor, chains_verify
from casework.models import Case, Event
from casework.services import case_transition
from tests.conftest import NOW

APP_ROLE = "casework_app_forger"
BACKDATED_AT = timezone.make_aware(datetime(2026, 1, 5, 9, 30))
BACKDATED_ON = date(2026, 1, 5)


def _verify() -> tuple[str, str, CommandError | None]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


@pytest.fixture
def case(receive: Any, users: Any) -> Case:
    case = receive()
    case_transition(
        number=case.number, name="register", actor=users["registrar"], on=NOW.date(), now=NOW
    )
    return case


def _forged_urge(case: Case, head: Any) -> dict[str, Any]:
    """The forger's row: the office head's urge, dated and entered in January, chained with
    correct hashes onto the case's latest event."""
    last = Event.objects.filter(case=case).order_by("-seq").first()
    assert last is not None
    fields: dict[str, Any] = {
        "case_id": case.pk,
        "seq": last.seq + 1,
        "kind": "urge",
        "actor_id": head.pk,
        "actor_name": "王主任",
        "actor_role": "公开办负责人",
        "on": BACKDATED_ON,
        "entered_at": BACKDATED_AT,
        "from_status": case.status,
        "to_status": case.status,
        "payload": {"message": "请加快办理"},
        "prev_hash": last.hash,
    }
    fields["hash"] = event_digest(**{k: v for k, v in fields.items() if k != "hash"})
    return fields


INSERT = (
    'INSERT INTO casework_event (case_id, seq, kind, actor_id, actor_name, actor_role, "on", '
    "entered_at, from_status, to_status, payload, prev_hash, hash) "
    "VALUES (%(case_id)s, %(seq)s, %(kind)s, %(actor_id)s, %(actor_name)s, %(actor_role)s, "
    "%(on)s, %(entered_at)s, %(from_status)s, %(to_status)s, %(payload)s, %(prev_hash)s, "
    "%(hash)s)"
)


def _insert(cursor: Any, fields: dict[str, Any]) -> None:
    import json

    cursor.execute(INSERT, {**fields, "payload": json.dumps(fields["payload"])})


def _as_app_role(cursor: Any) -> None:
    """The grants of docs/DEPLOY.md §8, in the test transaction (rolled back with it)."""
    cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")
    cursor.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
    cursor.execute(
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}"
    )
    cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
    cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON casework_event FROM {APP_ROLE}")
    cursor.execute(f"SET ROLE {APP_ROLE}")


@pytest.mark.django_db
def test_the_application_role_cannot_choose_entry_time_sequence_or_hash(case, users, client):
    anchor = audit_anchor()  # taken just before the forgery, and published
    anchor_publish(anchor)
    forged = _forged_urge(case, users["head"])
    if connection.vendor != "postgresql":
        # SQLite has no roles and no trigger: the row goes in as the forger wrote it...
        with connection.cursor() as cursor:
            _insert(cursor, forged)
        stored = Event.objects.get(case=case, kind="urge")
        assert stored.entered_at == BACKDATED_AT
        # ...and `verify_audit` flags it against the published anchor (the equivalent check).
        _out, err, failure = _verify()
        assert failure is not None
        assert failure.returncode == 1
        assert f"{case.number} 第 3 号事件" in err
        assert "录入时间被倒签" in err
        return
    with connection.cursor() as cursor:
        _as_app_role(cursor)
        _insert(cursor, forged)
        # Another try: a sequence and a link of the forger's choosing, and a chosen hash.
        _insert(cursor, {**forged, "seq": 99, "prev_hash": "f" * 64, "hash": "e" * 64})
        cursor.execute("RESET ROLE")
        cursor.execute("SELECT clock_timestamp()")
        after = cursor.fetchone()[0]
    first, second = Event.objects.filter(case=case, kind="urge").order_by("seq")
    head = Event.objects.get(case=case, seq=2)
    assert anchor.at is not None
    for event, prev in ((first, head.hash), (second, first.hash)):
        # The database's entry time, not January's; the database's seq, link and hash.
        assert anchor.at <= event.entered_at <= after
        assert event.on == BACKDATED_ON  # the effective date is the actor's to state
        assert event.prev_hash == prev
        assert event.hash != forged["hash"]
        assert event.hash == event_digest(
            case_id=event.case_id,
            seq=event.seq,
            kind=event.kind,
            actor_id=event.actor_id,
            actor_name=event.actor_name,
            actor_role=event.actor_role,
            on=event.on,
            entered_at=event.entered_at,
            from_status=event.from_status,
            to_status=event.to_status,
            payload=event.payload,
            prev_hash=event.prev_hash,
        )  # verified independently in Python
    assert (first.seq, second.seq) == (3, 4)
    # The chain holds (the database wrote it), and nothing in it claims an earlier entry.
    out, err, failure = _verify()
    assert failure is None, err
    assert "与公布的锚点" in out
    # The history shows when the urge was really entered.
    client.force_login(users["registrar"])
    page = client.get(f"/cases/{case.number}/").content.decode()
    from casework.templatetags.casework_tags import cn_moment

    really = cn_moment(first.entered_at)  # as the history writes a moment (2026年12月7日 12:36)
    assert really in page
    assert "2026-01-05 09:30" not in page


@pytest.mark.django_db
def test_verify_audit_flags_an_event_appended_after_the_anchor_with_an_earlier_entry(case, users):
    """What the forger could do before the trigger (and what a table owner who switches
    triggers off still can): write the back-dated entry time. The published anchor flags it."""
    anchor_publish(audit_anchor())
    forged = _forged_urge(case, users["head"])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # superuser only
        _insert(cursor, forged)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")
    assert Event.objects.get(case=case, seq=3).entered_at == BACKDATED_AT
    _out, err, failure = _verify()
    assert failure is not None
    assert failure.returncode == 1
    assert "录入时间被倒签" in err
    # The chain alone cannot tell (its hashes are right): the published anchor does.
    assert chains_verify() == []


@pytest.mark.django_db
def test_anchors_are_published_outside_the_database(case, users, caplog, settings):
    import logging
    import stat

    with caplog.at_level(logging.INFO, logger="casework.security"):
        anchor_publish(first := audit_anchor())
        case_transition(
            number=case.number,
            name="urge",
            actor=users["supervisor"],
            on=NOW.date(),
            now=NOW,
            fields={"message": "请加快办理"},
        )
        anchor_publish(second := audit_anchor())
    assert str(first) in caplog.text
    assert str(second) in caplog.text
    path = settings.AUDIT_ANCHOR_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(path.read_text().splitlines()) == 2  # appended, never rewritten
    latest = anchor_latest_published()
    assert latest is not None
    assert (latest.digest, latest.last_id) == (second.digest, second.last_id)
    out, err, failure = _verify()
    assert failure is None, err
    assert f"与公布的锚点 {second}" in out


TRICKY = {
    "bb": 1,
    "a": [True, None, 1.5e-7, 2.0, -3, 'x\n"é\t\u0001\\/'],
    "ab": {"z": 1e20, "长键": "中文", "é": {}},
    "": [],
}


@pytest.mark.django_db
def test_the_canonical_text_is_postgresql_jsonb_text() -> None:
    """The Python side reproduces jsonb's text (key order by byte length, then bytes; numeric
    without exponent), so `verify_audit` re-checks the database's hashes independently."""
    import json

    from casework.audit_chain import jsonb_text

    expected = (
        '{"": [], "a": [true, null, 0.00000015, 2.0, -3, "x\\n\\"é\\t\\u0001\\\\/"], '
        '"ab": {"z": 100000000000000000000, "é": {}, "长键": "中文"}, "bb": 1}'
    )
    assert jsonb_text(TRICKY) == expected
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::jsonb::text", [json.dumps(TRICKY)])
            assert cursor.fetchone()[0] == expected


@pytest.mark.django_db
def test_the_daily_anchor_is_published_even_without_a_digest_mail(case, settings):
    from django.contrib.auth.models import User

    from workflows.schedule import office_digest_send

    User.objects.update(email="")  # nobody to mail: no digest is queued
    assert office_digest_send(now=NOW) == 0
    assert office_digest_send(now=NOW) == 0
    lines = settings.AUDIT_ANCHOR_FILE.read_text().splitlines()
    assert len(lines) == 1  # once a day
    assert lines[0].split()[1] == str(audit_anchor())
