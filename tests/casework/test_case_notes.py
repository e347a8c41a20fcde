"""Internal case notes (案件备注): written only by staff who see the case, append-only, with
mentions that reach the mentioned person (or the liaison officers of a mentioned division) by
one e-mail, sent by the worker after commit."""

from datetime import date

from django.core import mail

import pytest

from casework.errors import InvalidInput, NotVisible
from casework.models import AppendOnlyError, CaseNote, Event, Notification
from casework.services import case_note_add


@pytest.fixture
def routed(receive, fire, divisions, users):
    case = receive(arrived=date(2026, 3, 2))
    fire(case, "register", "registrar", on=date(2026, 3, 2))
    fire(
        case,
        "assign",
        "reviewer",
        on=date(2026, 3, 3),
        lead_division_id=divisions["a"].pk,
        co_division_ids=[divisions["b"].pk],
    )
    for name in ("liaison_a", "liaison_a2", "liaison_b", "reviewer", "registrar"):
        users[name].email = f"{name}@example.gov.cn"
        users[name].save()
    return case


@pytest.mark.django_db
def test_a_note_with_a_picked_mention_sends_one_mail_after_commit(
    routed, users, django_capture_on_commit_callbacks
):
    events = Event.objects.filter(case=routed).count()
    with django_capture_on_commit_callbacks(execute=True):
        note = case_note_add(
            number=routed.number,
            actor=users["reviewer"],
            text="请核实申请人所指文件\n是否为 2025 年印发",
            user_ids=[users["liaison_a"].pk],
        )
    assert list(note.mentioned_users.all()) == [users["liaison_a"]]
    assert [m.to for m in mail.outbox] == [["liaison_a@example.gov.cn"]]
    assert mail.outbox[0].subject == f"【备注提到您】{routed.number}"
    assert "请核实申请人所指文件" in mail.outbox[0].body
    assert Notification.objects.filter(dedupe_key=f"note:{note.pk}").count() == 1
    # Not a status change: the ledger is untouched.
    assert Event.objects.filter(case=routed).count() == events


@pytest.mark.django_db
def test_at_mentions_in_the_text_of_a_user_and_a_division(
    routed, users, divisions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        note = case_note_add(
            number=routed.number,
            actor=users["liaison_a"],
            text=f"@{divisions['b'].name} 请尽快给出协办意见，抄送 @reviewer。联系 a@liaison_b.cn",
        )
    assert list(note.mentioned_divisions.all()) == [divisions["b"]]
    assert list(note.mentioned_users.all()) == [users["reviewer"]]
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["liaison_b@example.gov.cn", "reviewer@example.gov.cn"]


@pytest.mark.django_db
def test_who_cannot_see_the_case_can_neither_write_nor_be_mentioned(
    routed, users, divisions, receive
):
    with pytest.raises(NotVisible):
        case_note_add(number=routed.number, actor=users["nobody"], text="看不到")
    other = receive(arrived=date(2026, 3, 4))  # not routed: division a does not see it
    with pytest.raises(NotVisible):
        case_note_add(number=other.number, actor=users["liaison_a"], text="看不到")
    with pytest.raises(InvalidInput) as excinfo:
        case_note_add(
            number=other.number,
            actor=users["reviewer"],
            text="请安置处看看",
            user_ids=[users["liaison_a"].pk],
        )
    assert excinfo.value.field == "mentioned_users"
    with pytest.raises(InvalidInput):
        case_note_add(
            number=other.number,
            actor=users["reviewer"],
            text="请看看",
            division_ids=[divisions["a"].pk],
        )
    with pytest.raises(InvalidInput):
        case_note_add(number=routed.number, actor=users["reviewer"], text="   ")
    assert CaseNote.objects.count() == 0
    assert Notification.objects.filter(dedupe_key__startswith="note:").count() == 0


@pytest.mark.django_db
def test_notes_are_append_only(routed, users):
    note = case_note_add(number=routed.number, actor=users["reviewer"], text="第一条")
    note.text = "改过"
    with pytest.raises(AppendOnlyError):
        note.save()
    with pytest.raises(AppendOnlyError):
        note.delete()
    assert CaseNote.objects.get().text == "第一条"
