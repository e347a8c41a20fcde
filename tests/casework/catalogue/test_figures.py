"""The catalogue's figures (issue 26 point 6): by source, by period, the applications made
although items were shown; on the supervision dashboard as its own include."""

from datetime import date

import pytest

from casework.catalogue.models import Category, ItemShown
from casework.catalogue.selectors import catalogue_figures
from casework.catalogue.services import (
    catalogue_item_approve,
    catalogue_item_create,
    catalogue_item_withdraw,
    catalogue_shown_record,
    categories_ensure,
)
from tests.conftest import NOW, at

pytestmark = pytest.mark.django_db


def _publish(organ, users, title, source_kind="manual", when=NOW):
    categories_ensure()
    item = catalogue_item_create(
        organ=organ,
        actor=users["head"],
        now=when,
        title=title,
        category=Category.objects.get(name="公示公告"),
        source_kind=source_kind,
        source_ref="7" if source_kind != "manual" else "",
    )
    return catalogue_item_approve(item=item, actor=users["head"], now=when)


def test_figures_by_source_and_period(organ, users, receive):
    _publish(organ, users, "自查转主动公开的信息", "selfcheck")
    _publish(organ, users, "热点申请转主动公开的信息", "popular_topic")
    old = _publish(organ, users, "去年公开的信息", when=at(date(2025, 6, 2)))
    catalogue_item_withdraw(item=old, actor=users["head"], now=NOW, reason="已废止")
    case = receive()
    assert len(catalogue_shown_record(case=case, item_ids=[old.pk, "x", 99999], now=NOW)) == 1
    figures = catalogue_figures(organ, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert figures.as_dict() == {
        "answered_by_catalogue": 0,
        "published_from_cases": 0,
        "from_selfchecks": 1,
        "from_popular_topics": 1,
        "shown_then_applied": 1,
        "items_published": 2,
        "items_in_force": 2,
    }
    assert catalogue_figures(organ).items_published == 3
    assert catalogue_figures(None).as_dict() == catalogue_figures(organ).as_dict()
    assert catalogue_figures(organ, end=date(2025, 12, 31)).items_published == 1
    assert catalogue_figures(organ, end=date(2025, 12, 31)).shown_then_applied == 0
    assert ItemShown.objects.get().case == case


def test_the_dashboard_shows_the_figures(client, organ, users):
    _publish(organ, users, "自查转主动公开的信息", "selfcheck")
    client.force_login(users["supervisor"])
    page = client.get("/supervision/?from=2026-01-01&to=2026-12-31").content.decode()
    block = page.split('id="catalogue-figures"')[1].split("</div>")[0]
    assert "本期主动公开情况" in block
    assert "<dt>其中：自查转主动公开</dt><dd>1</dd>" in " ".join(block.split())
