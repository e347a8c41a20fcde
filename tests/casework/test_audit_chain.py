"""The audit ledger is tamper-evident: a per-case hash chain written on both append paths,
`verify_audit` names the first broken link, the daily anchor goes out with the digest, and on
PostgreSQL the application's role cannot UPDATE, DELETE or TRUNCATE events."""

import logging
from datetime import date
from io import StringIO

from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

import pytest

from casework.audit_chain import GENESIS, event_digest_of
from casework.ledger import EventRow, audit_anchor, events_append_bulk
from casework.models import Event
from casework.services import case_transition
from tests.conftest import NOW, at


def _raw(sql: str, params: list[object]) -> None:
    """What a table owner or anyone with the SQLite file can do: bypass the ORM and, on
    PostgreSQL, the append-only trigger (session_replication_role needs the superuser)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def _verify() -> tuple[str, str, CommandError | None]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


@pytest.fixture
def two_events(receive, users):
    case = receive()
    case_transition(
        number=case.number, name="register", actor=users["registrar"], on=NOW.date(), now=NOW
    )
    return case


@pytest.mark.django_db
def test_each_event_hashes_its_content_and_the_previous_hash(two_events):
    first, second = Event.objects.filter(case=two_events).order_by("seq")
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert len(first.hash) == 64
    assert first.hash == event_digest_of(first)  # as read back from the database
    assert second.hash == event_digest_of(second)


@pytest.mark.django_db
def test_the_bulk_path_continues_each_chain(receive, users):
    cases = [receive(), receive()]
    events_append_bulk(
        [
            EventRow(
                case_id=c.pk,
                kind="recompute",
                actor_user=None,
                actor_name="系统",
                actor_role="系统",
                on=date(2026, 3, 16),
                entered_at=NOW,
                from_status=c.status,
                to_status=c.status,
                payload={"changes": {"reply_due_on": ["2026-04-01", "2026-04-02"]}},
            )
            for c in cases
        ]
    )
    for c in cases:
        first, second = Event.objects.filter(case=c).order_by("seq")
        assert (second.seq, second.prev_hash) == (2, first.hash)
        assert second.hash == event_digest_of(second)
    assert _verify()[2] is None


@pytest.mark.django_db
def test_verify_audit_passes_an_intact_ledger(two_events):
    out, err, failure = _verify()
    assert failure is None, err
    assert "审计链完整" in out
    assert str(audit_anchor()) in out


@pytest.mark.django_db
def test_verify_audit_names_an_edited_event(two_events):
    _raw(
        "UPDATE casework_event SET actor_name = %s WHERE case_id = %s AND seq = 2",
        ["他人", two_events.pk],
    )
    _out, err, failure = _verify()
    assert failure is not None
    assert failure.returncode == 1
    assert f"{two_events.number} 第 2 号事件" in err
    assert "本事件被修改" in err


@pytest.mark.django_db
def test_verify_audit_names_a_removed_event(two_events):
    _raw("DELETE FROM casework_event WHERE case_id = %s AND seq = 1", [two_events.pk])
    _out, err, failure = _verify()
    assert failure is not None
    assert f"{two_events.number} 第 2 号事件：序号应为 1" in err


@pytest.mark.django_db
def test_a_rehashed_edit_breaks_the_next_link(two_events, users):
    # A forger who recomputes the edited event's own hash still breaks its successor's link.
    first = Event.objects.get(case=two_events, seq=1)
    first.actor_name = "他人"
    _raw(
        "UPDATE casework_event SET actor_name = %s, hash = %s WHERE id = %s",
        ["他人", event_digest_of(first), first.pk],
    )
    _out, err, failure = _verify()
    assert failure is not None
    assert f"{two_events.number} 第 2 号事件：前一哈希" in err


@pytest.mark.django_db
def test_the_anchor_reveals_a_chain_cut_short(two_events):
    anchor = audit_anchor()
    call_command("verify_audit", "--anchor", str(anchor), stdout=StringIO(), stderr=StringIO())
    _raw("DELETE FROM casework_event WHERE case_id = %s AND seq = 2", [two_events.pk])
    assert _verify()[2] is None  # the shortened chain is consistent in itself...
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", "--anchor", str(anchor), stdout=StringIO(), stderr=err)
    assert "锚点不符" in err.getvalue()  # ...but not with the anchor published before


@pytest.mark.django_db
def test_the_digest_carries_and_logs_the_anchor(two_events, users, caplog):
    from casework.models import Notification
    from workflows.schedule import office_digest_send

    users["supervisor"].email = "supervisor@example.gov.cn"
    users["supervisor"].save()
    with caplog.at_level(logging.INFO, logger="workflows.schedule"):
        assert office_digest_send(now=at(date(2026, 3, 16))) == 1
    anchor = str(audit_anchor())
    assert anchor in Notification.objects.get(dedupe_key="digest:2026-03-16").body
    assert anchor in caplog.text


@pytest.mark.django_db
def test_workflow_processes_and_tasks_are_read_only_in_the_admin(client, receive_flow, users):
    from viewflow.workflow.models import Process, Task

    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    client.force_login(users["admin"])
    receive_flow()
    task = Task.objects.order_by("pk").first()
    process = Process.objects.get()
    status = task.status
    response = client.post(f"/admin/viewflow/task/{task.pk}/change/", {"status": "CANCELED"})
    assert response.status_code == 403
    assert (
        client.post(f"/admin/viewflow/task/{task.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert (
        client.post(f"/admin/viewflow/process/{process.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert client.get(f"/admin/viewflow/task/{task.pk}/change/").status_code == 200  # view only
    assert Task.objects.get(pk=task.pk).status == status
    assert Process.objects.filter(pk=process.pk).exists()


APP_ROLE = "casework_app_probe"


@pytest.mark.django_db
def test_the_application_role_cannot_update_delete_or_truncate_events(two_events):
    if connection.vendor != "postgresql":
        # SQLite has no roles: a raw edit goes through there, and the hash chain names it.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE casework_event SET actor_name = 'x' WHERE case_id = %s AND seq = 1",
                [two_events.pk],
            )
        with pytest.raises(CommandError):
            call_command("verify_audit", stdout=StringIO(), stderr=StringIO())
        return
    # The grants of docs/DEPLOY.md §8, in the test transaction (rolled back with it).
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}"
        )
        cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON casework_event FROM {APP_ROLE}")
        cursor.execute(f"SET ROLE {APP_ROLE}")
        cursor.execute("SELECT count(*) FROM casework_event")
        assert cursor.fetchone()[0] == 2
        attempts = [
            "UPDATE casework_event SET kind = 'register'",
            "DELETE FROM casework_event",
            "TRUNCATE casework_event CASCADE",
            "ALTER TABLE casework_event DISABLE TRIGGER casework_event_no_update_delete",
            "SET session_replication_role = replica",
        ]
        for sql in attempts:
            with (
                pytest.raises(DatabaseError, match=r"permission denied|must be owner"),
                transaction.atomic(),
            ):
                cursor.execute(sql)
        cursor.execute("UPDATE auth_group SET name = name")  # other tables stay writable
        cursor.execute("RESET ROLE")
    assert Event.objects.filter(case=two_events).count() == 2
    assert Group.objects.exists()


@pytest.mark.django_db
def test_verify_reports_its_progress_up_to_every_event(two_events):
    from casework.ledger import chains_verify

    seen: list[tuple[int, int]] = []
    assert chains_verify(progress=lambda done, total: seen.append((done, total))) == []
    assert seen[-1] == (Event.objects.count(), Event.objects.count())
