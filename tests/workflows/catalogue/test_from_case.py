"""An item made in one step from a case's approved release set (issue 26 points 2 and 3):
the redacted files as reviewed, the subject as the title, the case recorded; publishing
still needs the head's approval."""

from datetime import date

import pytest

from casework.catalogue.models import CatalogueItem, ItemCited
from casework.catalogue.selectors import catalogue_figures
from tests.provision import approved_release_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigating(receive_flow, act, divisions):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    return case


def test_no_approved_set_no_item(client, users, investigating):
    client.force_login(users["registrar"])
    page = client.get(f"/work/catalogue/from-case/{investigating.number}/").content.decode()
    assert "本案没有已审核通过的公开文件" in page
    assert "catalogue-case" not in client.get(f"/cases/{investigating.number}/").content.decode()
    client.post(f"/work/catalogue/from-case/{investigating.number}/", {"title": "x"})
    assert not CatalogueItem.objects.exists()


def test_one_step_from_the_approved_set(client, users, investigating, organ, divisions):
    case = investigating
    release = approved_release_set(case, officer=users["liaison_a"], reviewer=users["reviewer"])
    client.force_login(users["liaison_b"])  # another division: not even the page
    assert client.get(f"/work/catalogue/from-case/{case.number}/").status_code == 404
    client.force_login(users["reviewer"])
    detail = client.get(f"/cases/{case.number}/").content.decode()
    assert f"/work/catalogue/from-case/{case.number}/" in detail
    page = client.get(f"/work/catalogue/from-case/{case.number}/").content.decode()
    assert case.subject in page  # the title offered is the subject
    response = client.post(
        f"/work/catalogue/from-case/{case.number}/",
        {"title": case.subject, "division": divisions["a"].pk, "category": ""},
    )
    assert response.status_code == 302
    item = CatalogueItem.objects.get()
    assert (item.source_kind, item.source_ref, item.status) == ("case", case.number, "draft")
    released = release.files.get()
    attachment = item.attachments.get()
    assert attachment.original_name == released.name
    assert attachment.file.read().startswith(b"%PDF")
    assert ItemCited.objects.get(case=case).use == "published_from"
    detail = client.get(f"/cases/{case.number}/").content.decode()
    assert item.title in detail.split('id="catalogue-case"')[1]
    # published only when the head approves
    assert client.get(f"/catalogue/{item.pk}/").status_code == 404
    client.force_login(users["head"])
    client.post(
        f"/work/catalogue/{item.pk}/edit/",
        {"title": item.title, "division": divisions["a"].pk, "category": _cat()},
    )
    client.post(f"/work/catalogue/{item.pk}/approve/")
    assert client.get(f"/catalogue/{item.pk}/").status_code == 200
    assert catalogue_figures(organ).published_from_cases == 1


def _cat():
    from casework.catalogue.models import Category
    from casework.catalogue.services import categories_ensure

    categories_ensure()
    return Category.objects.get(name="依申请公开转主动公开").pk
