"""Submitting twice is harmless (issue 22, point 7): the form's one-time token makes one
case, every post of it shows the same receipt (number and query code) to the browser that
posted it for a while, and a lost code is sent anew to the applicant's e-mail address,
with limits per case and per address."""

import threading
import time

from django.core import mail
from django.db import connection
from django.test import Client

import pytest

from casework.models import Case, Event
from casework.portal import case_for_tracking
from tests.workflows.portal.test_portal import _form


def _token(page: str) -> str:
    return page.split('name="submission_token" value="')[1].split('"')[0]


def _receipt(client: Client, location: str) -> tuple[str, str]:
    page = client.get(location).content.decode()
    number = page.split('申请编号：<span class="code">')[1].split("<")[0]
    code = page.split('查询码：<span class="code">')[1].split("<")[0]
    return number, code


def _browser_with_form(client: Client) -> str:
    return _token(client.get("/apply/").content.decode())


@pytest.mark.django_db(transaction=True)
def test_two_parallel_posts_of_one_form_make_one_case_and_show_the_same_receipt(
    organ, users, settings
):
    """A double click: two real requests at once, each on its own connection, with the same
    browser's cookies. Neither answers 400; both show the same number and the same code,
    and that code opens the case."""
    first = Client()
    token = _browser_with_form(first)
    second = Client()
    second.cookies = first.cookies  # the same browser
    start = threading.Barrier(2)
    responses: dict[str, object] = {}

    def post(name: str, client: Client) -> None:
        try:
            start.wait()
            responses[name] = client.post("/apply/", _form(submission_token=token))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n, c)) for n, c in (("a", first), ("b", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(r.status_code for r in responses.values()) == [302, 302]  # type: ignore[attr-defined]
    assert Case.objects.count() == 1
    case = Case.objects.get()
    receipts = {_receipt(first, r["Location"]) for r in responses.values()}  # type: ignore[index]
    assert len(receipts) == 1
    number, code = receipts.pop()
    assert number == case.number
    assert case_for_tracking(number, code) == case
    # a later repeat of the same form (back button, post again): the same receipt, no case
    again = first.post("/apply/", _form(submission_token=token))
    assert again.status_code == 302
    assert _receipt(first, again["Location"]) == (number, code)
    assert Case.objects.count() == 1
    applicant_mails = [m for m in mail.outbox if m.to == ["liming@example.com"]]
    assert len(applicant_mails) <= 1  # queued once (sent by the worker)


@pytest.mark.django_db
def test_receipt_only_in_the_browser_that_posted_and_only_for_a_while(
    client, organ, users, settings
):
    token = _browser_with_form(client)
    response = client.post("/apply/", _form(submission_token=token))
    assert response.status_code == 302
    number, _code = _receipt(client, response["Location"])
    assert number == Case.objects.get().number
    # another browser with the link gets the look-up form, not the receipt
    stranger = Client()
    assert stranger.get(response["Location"])["Location"] == "/track/"
    # after the window: no more receipt in this browser either
    settings.PORTAL_RECEIPT_SECONDS = 0
    time.sleep(0.01)
    assert client.get(response["Location"])["Location"] == "/track/"


@pytest.mark.django_db
def test_the_code_is_no_longer_shown_once_its_window_passed(client, organ, users):
    from django.core.cache import cache

    token = _browser_with_form(client)
    response = client.post("/apply/", _form(submission_token=token))
    cache.clear()  # the window of the kept code has passed
    page = client.get(response["Location"]).content.decode()
    assert Case.objects.get().number in page
    assert "查询码：<span" not in page
    assert "忘记查询码" in page


@pytest.mark.django_db
def test_a_forgotten_code_is_sent_anew_to_the_applicants_email_only(
    client, organ, users, django_capture_on_commit_callbacks
):
    from casework.notifications import notifications_send

    response = client.post("/apply/", _form())
    number, old_code = _receipt(client, response["Location"])
    case = Case.objects.get()
    track = client.get("/track/").content.decode()
    assert "/track/forgot/" in track
    assert "忘记查询码" in track
    page = client.get("/track/forgot/").content.decode()
    assert "未开通短信服务" in page  # no SMS backend: said, not faked
    mail.outbox.clear()
    notifications_send()
    mail.outbox.clear()
    # a wrong address: the same answer, nothing sent, the old code still works
    wrong = client.post("/track/forgot/", {"number": number, "email": "other@example.com"})
    assert wrong.status_code == 200
    notifications_send()
    assert mail.outbox == []
    assert case_for_tracking(number, old_code) == case
    # the address of the application (any letter case): a new code by e-mail
    right = client.post("/track/forgot/", {"number": number, "email": "LiMing@Example.com"})
    assert right.status_code == 200
    # nobody learns which cases exist: the same page (but for its CSP nonce)
    same = "新的查询码已发送至该邮箱"
    assert same in wrong.content.decode()
    assert same in right.content.decode()
    assert len(wrong.content) == len(right.content)
    notifications_send()
    (message,) = mail.outbox
    assert message.to == ["liming@example.com"]
    new_code = message.body.split("新查询码：")[1].split("\n")[0].strip()
    assert new_code != old_code
    assert case_for_tracking(number, new_code) == case
    assert case_for_tracking(number, old_code) is None
    assert Event.objects.filter(case=case, kind="query_code_reissued").count() == 1


@pytest.mark.django_db
def test_forgotten_code_requests_are_limited_per_case_and_per_address(
    client, organ, users, settings
):
    settings.PORTAL_REISSUE_MAX_PER_CASE = 2
    settings.PORTAL_REISSUE_MAX_PER_CLIENT = 3
    response = client.post("/apply/", _form())
    number, _code = _receipt(client, response["Location"])
    data = {"number": number, "email": "liming@example.com"}
    assert client.post("/track/forgot/", data).status_code == 200
    assert client.post("/track/forgot/", data).status_code == 200
    assert client.post("/track/forgot/", data).status_code == 429  # per case
    assert Event.objects.filter(kind="query_code_reissued").count() == 2
    # per address, whatever the number
    other = {"number": "2026-9999", "email": "x@example.com"}
    assert client.post("/track/forgot/", other, REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.post("/track/forgot/", other).status_code == 429
