"""Chinese 403/404/500 pages with DEBUG off, linking only to pages the visitor may open;
the 500 page renders without a request."""

from django.core.exceptions import PermissionDenied
from django.template import loader
from django.urls import include, path
from django.utils import translation

import pytest


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("forbidden/", _forbidden),
    path("broken/", _broken),
    path("", include("casework.urls")),
]

STAFF_ONLY = ("/work/", "/cases/", "/supervision/", "/admin/")


def _links(page: str) -> list[str]:
    import re

    return re.findall(r'href="([^"#]+)"', page)  # the header's title link too


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
def test_404_is_chinese_and_links_an_anonymous_visitor_to_public_pages_only(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page
    links = _links(page)
    assert "/guide/" in links
    assert not [link for link in links if link.startswith(STAFF_ONLY)]


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
def test_404_and_403_link_staff_to_their_workbench(client, settings, users):
    settings.DEBUG = False
    client.force_login(users["liaison_a"])
    page = client.get("/cases/2099-9999/").content.decode()
    assert "页面不存在" in page
    assert "/work/" in _links(page)
    for who in ("liaison_a", "registrar", "supervisor"):
        client.force_login(users[who])
        response = client.get("/forbidden/")
        assert response.status_code == 403
        page = response.content.decode()
        assert "无权操作" in page
        assert "/work/" in _links(page)
        for link in _links(page):  # the header's links too: only pages this role may open
            if link != "/logout/":
                assert client.get(link, follow=True).status_code == 200, (who, link)


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
def test_500_is_chinese_and_needs_no_request(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统出错" in page
    assert _links(page) == ["/guide/"]
    with translation.override("zh-hans"):
        alone = loader.get_template("500.html").render()  # no request, no context
    assert "系统出错" in alone
    assert client.get("/guide/").status_code == 200


@pytest.mark.django_db
def test_csrf_failure_is_explained_in_chinese(organ, settings):
    from django.test import Client

    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post("/track/", {"number": "2026-0001", "code": "X"})
    assert response.status_code == 403
    assert "表单已失效" in response.content.decode()
