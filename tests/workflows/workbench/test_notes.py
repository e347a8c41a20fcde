"""The notes section of the case page and 提到我的备注 on the workbench: posting a note with a
mention, reading it, the same 404 for a case not seen, escaping, and nothing of it on the
applicant's tracking page."""

from datetime import date

from django.core import mail

import pytest

from casework.models import CaseNote

NOTE = "请核实<b>第二项</b>是否属于本处\n可电话联系申请人"


@pytest.fixture
def routed(receive, fire, divisions, users):
    case = receive(arrived=date(2026, 3, 2))
    fire(case, "register", "registrar", on=date(2026, 3, 2))
    fire(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    users["liaison_a"].email = "liaison_a@example.gov.cn"
    users["liaison_a"].save()
    return case


@pytest.mark.django_db
def test_a_note_mentioning_a_user_mails_them_and_shows_on_their_workbench(
    client, routed, users, django_capture_on_commit_callbacks
):
    client.force_login(users["reviewer"])
    page = client.get(f"/cases/{routed.number}/").content.decode()
    assert 'id="notes"' in page
    assert "内部备注" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cases/{routed.number}/notes/",
            {"text": NOTE, "mentioned_users": [users["liaison_a"].pk]},
        )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{routed.number}/#notes"
    assert [m.to for m in mail.outbox] == [["liaison_a@example.gov.cn"]]

    page = client.get(f"/cases/{routed.number}/").content.decode()
    notes = page.split('id="notes"')[1].split("</div>\n\n")[0]
    # Escaped, with line breaks.
    assert "请核实&lt;b&gt;第二项&lt;/b&gt;是否属于本处<br>可电话联系申请人" in notes
    assert "<b>第二项</b>" not in page
    # The author's own workbench does not list it; the mentioned officer's does.
    assert "提到我的备注" not in client.get("/work/").content.decode()
    client.force_login(users["liaison_a"])
    work = client.get("/work/").content.decode()
    assert "提到我的备注" in work
    assert f'href="/cases/{routed.number}/#notes"' in work
    # Another officer of the division, not mentioned, sees the note on the case but no mention.
    client.force_login(users["liaison_a2"])
    assert "提到我的备注" not in client.get("/work/").content.decode()
    assert "可电话联系申请人" in client.get(f"/cases/{routed.number}/").content.decode()


@pytest.mark.django_db
def test_who_cannot_see_the_case_gets_404_for_reading_and_posting(client, routed, users):
    CaseNote.objects.create(
        case=routed, author=users["reviewer"], text="内部意见", created_at=routed.arrived_at
    )
    client.force_login(users["liaison_b"])  # division b does not see a case of division a
    assert client.get(f"/cases/{routed.number}/").status_code == 404
    response = client.post(f"/cases/{routed.number}/notes/", {"text": "试试"})
    assert response.status_code == 404
    assert client.post("/cases/2099-9999/notes/", {"text": "试试"}).status_code == 404
    assert CaseNote.objects.count() == 1
    client.logout()
    response = client.post(f"/cases/{routed.number}/notes/", {"text": "试试"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert client.get(f"/cases/{routed.number}/notes/").status_code in (302, 405)


@pytest.mark.django_db
def test_an_empty_note_is_refused_on_the_page(client, routed, users):
    client.force_login(users["reviewer"])
    response = client.post(f"/cases/{routed.number}/notes/", {"text": ""})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert CaseNote.objects.count() == 0


@pytest.mark.django_db
def test_the_applicant_never_sees_a_note(client, routed, users):
    from workflows.portal.views import TRACKED

    client.force_login(users["reviewer"])
    client.post(f"/cases/{routed.number}/notes/", {"text": "申请人情绪激动，注意沟通方式"})
    assert CaseNote.objects.count() == 1
    client.logout()
    session = client.session
    session[TRACKED] = [routed.number]
    session.save()
    tracking = client.get(f"/track/{routed.number}/").content.decode()
    assert routed.number in tracking
    assert "申请人情绪激动" not in tracking
    assert "备注" not in tracking
