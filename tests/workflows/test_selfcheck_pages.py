"""The self-check's pages (issue 26 point 1): the office opens a campaign, the division's
workbench shows its panel, the liaison concludes on the item's page, the head approves; other
divisions and roles get 404; the demo loads a campaign."""

from __future__ import annotations

from datetime import date
from io import StringIO

from django.core.management import call_command

import pytest

from casework.selfcheck.models import Audit, Campaign, Item, Kind
from tests.casework.test_selfcheck import refused  # noqa: F401 - fixture
from tests.letters.test_letters import approved  # noqa: F401 - fixture


@pytest.mark.django_db
def test_open_conclude_approve_through_the_pages(refused, client, users, divisions):  # noqa: F811
    client.force_login(users["liaison_a"])
    assert client.get("/work/selfcheck/").status_code == 404  # campaigns are the office's
    client.force_login(users["reviewer"])
    page = client.post(
        "/work/selfcheck/",
        {
            "title": "2026年第一季度自查",
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "working_days": "20",
        },
    )
    campaign = Campaign.objects.get()
    assert page.status_code == 302
    item = campaign.items.get(kind=Kind.WITHHELD)
    assert item.case == refused

    client.force_login(users["liaison_b"])  # another division
    assert client.get(f"/work/selfcheck/items/{item.pk}/").status_code == 404
    assert (
        client.post(f"/work/selfcheck/items/{item.pk}/conclude/", {"conclusion": "x"}).status_code
        == 404
    )
    assert "selfcheck-panel" not in client.get("/work/?tab=mine").content.decode()

    client.force_login(users["liaison_a"])
    board = client.get("/work/?tab=mine").content.decode()
    assert "selfcheck-panel" in board
    assert f"/work/selfcheck/items/{item.pk}/" in board
    shown = client.get(f"/work/selfcheck/items/{item.pk}/").content.decode()
    assert "第十六条第二款" in shown  # the ground
    assert refused.number in shown
    bad = client.post(
        f"/work/selfcheck/items/{item.pk}/conclude/",
        {"conclusion": "keep_withheld", "ground_check": "process_ended", "reasons": "x"},
    )
    assert bad.status_code == 400
    assert "只有不予公开的依据仍然成立时" in bad.content.decode()
    ok = client.post(
        f"/work/selfcheck/items/{item.pk}/conclude/",
        {
            "conclusion": "keep_withheld",
            "ground_check": "still_holds",
            "reasons": "评估仍在进行，仍属过程性信息",
        },
    )
    assert ok.status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.CONCLUDED

    client.force_login(users["reviewer"])
    # the reviewer may not approve: the same 404 as for what one may not see
    assert client.post(f"/work/selfcheck/items/{item.pk}/approve/", {}).status_code == 404
    client.force_login(users["head"])
    assert "selfcheck-panel" in client.get("/work/?tab=sign_off").content.decode()
    assert (
        client.post(f"/work/selfcheck/items/{item.pk}/approve/", {"note": "同意"}).status_code
        == 302
    )
    item.refresh_from_db()
    assert item.status == Item.Status.APPROVED
    assert list(Audit.objects.filter(item=item).values_list("action", flat=True)) == [
        "concluded",
        "approved",
    ]
    listing = client.get(f"/work/selfcheck/{campaign.pk}/").content.decode()
    assert "维持现状" in listing


@pytest.mark.django_db
def test_the_demo_opens_a_campaign(settings):
    call_command("load_demo", stdout=StringIO())
    campaign = Campaign.objects.get()
    kinds = set(campaign.items.values_list("kind", flat=True))
    assert kinds == {Kind.WITHHELD, Kind.POPULAR_TOPIC}  # the partial one is not replied yet
    assert campaign.items.filter(division__isnull=True).count() == 0
    assert campaign.period_start == date(campaign.opened_on.year - 1, 1, 1)


# The self-check's id-taking routes (tests/test_url_access.py lists them as covered here):
# the campaign's pages are the office's and the supervising office's; an item is also its
# division's. Everyone else gets 404, an anonymous visitor the login page.
SELFCHECK_ROUTES = {
    "workflows:selfcheck:campaign": ("get", "campaign", {}),
    "workflows:selfcheck:close": ("post", "campaign", {}),
    "workflows:selfcheck:report-pdf": ("get", "campaign", {}),
    "workflows:selfcheck:report-xlsx": ("get", "campaign", {}),
    "workflows:selfcheck:item": ("get", "item", {}),
    "workflows:selfcheck:item-act": ("post", "item", {"action": "conclude"}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SELFCHECK_ROUTES))
def test_other_divisions_get_404_and_anonymous_the_login(name, refused, client, users):  # noqa: F811
    from django.urls import reverse

    from casework.selfcheck.services import campaign_open
    from tests.conftest import NOW

    campaign = campaign_open(
        organ=refused.organ,
        actor=users["head"],
        now=NOW,
        title="自查",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
    )
    item = campaign.items.get()
    method, target, extra = SELFCHECK_ROUTES[name]
    url = reverse(name, kwargs={"pk": campaign.pk if target == "campaign" else item.pk, **extra})
    data = {"conclusion": "disclose_now", "ground_check": "process_ended", "reasons": "x"}
    response = getattr(client, method)(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    outsiders = ["liaison_b", "nobody"] + (["liaison_a"] if target == "campaign" else [])
    for who in outsiders:
        client.force_login(users[who])
        assert getattr(client, method)(url, data).status_code == 404, who
    item.refresh_from_db()
    campaign.refresh_from_db()
    assert (item.status, campaign.status) == (Item.Status.PENDING, Campaign.Status.OPEN)
    assert not Audit.objects.filter(item=item).exists()


def test_every_selfcheck_route_is_covered_here():
    from tests.test_url_access import SELFCHECK_ROUTES as LISTED

    assert set(SELFCHECK_ROUTES) == LISTED


@pytest.mark.django_db
def test_the_open_form_refuses_a_period_ending_before_it_begins(client, users, organ):
    client.force_login(users["head"])
    page = client.post(
        "/work/selfcheck/",
        {
            "title": "自查",
            "period_start": "2026-03-31",
            "period_end": "2026-01-01",
            "working_days": "20",
        },
    )
    assert page.status_code == 200
    assert "自查期间的截止日期早于起始日期。" in page.content.decode()
    assert not Campaign.objects.exists()
    client.force_login(users["liaison_a"])
    assert client.post("/work/selfcheck/", {"title": "x"}).status_code == 404
