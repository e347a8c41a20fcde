"""The demo's catalogue and guide (load_demo): published items, one no longer in force, one
awaiting approval, an approved guide version, and the demo's 36(1) reply pointing to an item."""

from io import StringIO

from django.core.management import call_command

import pytest

from casework.catalogue.models import CatalogueItem, GuideVersion, ItemCited


@pytest.mark.django_db
def test_the_demo_has_a_catalogue_and_a_dated_guide(client):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "主动公开目录：新增 7 条" in out.getvalue()
    assert CatalogueItem.objects.filter(status="published", validity="valid").count() == 5
    assert CatalogueItem.objects.filter(validity="invalid").count() == 1
    assert CatalogueItem.objects.filter(status="submitted").count() == 1
    assert GuideVersion.objects.get().status == "approved"
    cited = ItemCited.objects.get()
    assert "政府信息公开指南" in cited.item.title
    assert cited.case.status == "archived"
    call_command("load_demo", stdout=out)  # idempotent
    assert CatalogueItem.objects.count() == 7
    assert GuideVersion.objects.count() == 1
    assert "更新日期" in client.get("/guide/").content.decode()
    assert "就业创业扶持政策" in client.get("/catalogue/").content.decode()
