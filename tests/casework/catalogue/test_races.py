"""Concurrent writes of one item: the row lock (PostgreSQL) or the immediate write lock
(SQLite) lets exactly one approval publish, with exactly one history entry."""

import threading
from typing import Any

from django.db import connections

import pytest

from casework.catalogue.models import Category, HistoryKind, ItemHistory
from casework.catalogue.services import (
    catalogue_item_approve,
    catalogue_item_create,
    categories_ensure,
)
from casework.errors import WrongState
from tests.conftest import NOW


@pytest.mark.django_db(transaction=True)
def test_eight_heads_approve_one_item_once(organ, users):
    categories_ensure()
    item = catalogue_item_create(
        organ=organ,
        actor=users["registrar"],
        now=NOW,
        title="2026年度部门预算",
        category=Category.objects.get(name="财政预决算"),
    )
    barrier = threading.Barrier(8)
    outcomes: list[Any] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait()
            catalogue_item_approve(item=item, actor=users["head"], now=NOW)
            result: Any = "ok"
        except Exception as exc:  # WrongState expected; anything else fails below
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(outcomes) == 8
    assert outcomes.count("ok") == 1, outcomes
    assert all(isinstance(o, WrongState) for o in outcomes if o != "ok"), outcomes
    assert ItemHistory.objects.filter(item=item, kind=HistoryKind.PUBLISHED).count() == 1
