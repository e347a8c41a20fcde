"""casework.sessions: cached_db sessions created with one INSERT, a duplicate key drawn again."""

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from casework import sessions
from casework.sessions import SessionStore


@pytest.mark.django_db
def test_a_new_session_is_one_insert_and_reads_back():
    store = SessionStore()
    store["tracked"] = ["2026-0001"]
    with CaptureQueriesContext(connection) as queries:
        store.save()
    statements = [q["sql"].split()[0].upper() for q in queries]
    assert "SELECT" not in statements
    assert statements.count("INSERT") == 1
    assert SessionStore(store.session_key)["tracked"] == ["2026-0001"]
    assert Session.objects.filter(session_key=store.session_key).exists()


@pytest.mark.django_db
def test_a_key_already_taken_is_drawn_again(monkeypatch):
    taken = SessionStore()
    taken["who"] = "first"
    taken.save()
    keys = iter([taken.session_key, "k" * 32])
    monkeypatch.setattr(sessions, "get_random_string", lambda length, chars: next(keys))
    store = SessionStore()
    store["who"] = "second"
    store.save()
    assert store.session_key == "k" * 32
    assert SessionStore(taken.session_key)["who"] == "first"
