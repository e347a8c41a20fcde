"""Events are append-only: the ORM, the admin and (on PostgreSQL) the database refuse
changes; a transition fired from 16 threads at once succeeds exactly once."""

import threading
from typing import Any

from django.db import DatabaseError, connection, connections, transaction

import pytest

from casework.errors import WrongState
from casework.models import AppendOnlyError, Case, Event
from casework.services import case_transition
from tests.conftest import NOW


@pytest.mark.django_db
def test_event_cannot_be_saved_again_or_deleted(receive):
    case = receive()
    event = Event.objects.get(case=case)
    event.payload = {"forged": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(case=case).update(kind="register")
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(case=case).delete()
    event.refresh_from_db()
    assert event.payload != {"forged": True}


@pytest.mark.django_db
def test_admin_offers_no_way_to_change_events(client, receive, users):
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    client.force_login(users["admin"])
    case = receive()
    event = Event.objects.get(case=case)
    assert client.get(f"/admin/casework/event/{event.pk}/delete/").status_code == 403
    response = client.post(f"/admin/casework/event/{event.pk}/change/", {"kind": "register"})
    assert response.status_code == 403
    assert client.get("/admin/casework/event/add/").status_code == 403
    assert Event.objects.get(pk=event.pk).kind == "receive"


@pytest.mark.django_db
def test_database_trigger_rejects_update_and_delete_on_postgresql(receive):
    case = receive()
    if connection.vendor != "postgresql":
        # SQLite has no such trigger; the ORM guard above is the protection there.
        assert Event.objects.filter(case=case).count() == 1
        return
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE casework_event SET kind = 'register' WHERE case_id = %s", [case.pk])
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM casework_event WHERE case_id = %s", [case.pk])
    assert Event.objects.filter(case=case, kind="receive").count() == 1


@pytest.mark.django_db(transaction=True)
def test_sixteen_threads_fire_one_transition_exactly_once(receive, users):
    case = receive()
    barrier = threading.Barrier(16)
    outcomes: list[Any] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait()
            case_transition(
                number=case.number,
                name="register",
                actor=users["registrar"],
                on=NOW.date(),
                now=NOW,
            )
            result: Any = "ok"
        except WrongState as exc:
            result = exc
        except Exception as exc:  # anything else is a bug and fails the test below
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(outcomes) == 16
    assert outcomes.count("ok") == 1, outcomes
    assert all(isinstance(o, WrongState) for o in outcomes if o != "ok"), outcomes
    assert Event.objects.filter(case=case, kind="register").count() == 1
    assert Case.objects.get(pk=case.pk).status == "registered"
