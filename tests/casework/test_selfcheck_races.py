"""Concurrent approvals of one self-check conclusion: the item's row lock (PostgreSQL) or the
immediate write lock (SQLite) lets exactly one approve it, with one audit row and one
catalogue item published."""

import threading
from datetime import date
from typing import Any

from django.db import connections

import pytest

from casework.catalogue.models import CatalogueItem, Category
from casework.catalogue.services import categories_ensure
from casework.errors import WrongState
from casework.selfcheck import services
from casework.selfcheck.models import Audit, Conclusion, GroundCheck, Item
from tests.casework.test_selfcheck import refused  # noqa: F401 - fixture
from tests.conftest import NOW, TODAY
from tests.letters.test_letters import approved  # noqa: F401 - fixture


@pytest.mark.django_db(transaction=True)
def test_six_approvals_of_one_conclusion_publish_once(refused, organ, users):  # noqa: F811
    categories_ensure()
    category = Category.objects.get(name="依申请公开转主动公开")
    campaign = services.campaign_open(
        organ=organ,
        actor=users["head"],
        now=NOW,
        title="自查",
        period_start=date(2026, 1, 1),
        period_end=TODAY,
    )
    item = campaign.items.get()
    services.item_conclude(
        item_id=item.pk,
        actor=users["liaison_a"],
        now=NOW,
        conclusion=Conclusion.DISCLOSE_NOW,
        ground_check=GroundCheck.PROCESS_ENDED,
        reasons="程序已结束",
    )
    barrier = threading.Barrier(6)
    outcomes: list[Any] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait()
            services.item_approve(item_id=item.pk, actor=users["head"], now=NOW, category=category)
            result: Any = "ok"
        except Exception as exc:  # WrongState expected; anything else fails below
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(outcomes) == 6
    assert outcomes.count("ok") == 1, outcomes
    assert all(isinstance(o, WrongState) for o in outcomes if o != "ok"), outcomes
    assert Audit.objects.filter(item=item, action="approved").count() == 1
    assert CatalogueItem.objects.filter(source_kind="selfcheck").count() == 1
    assert Item.objects.get(pk=item.pk).catalogue_item_id is not None
