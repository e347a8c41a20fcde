"""Every e-mail the system sends, word for word: the templates under templates/email/ give
exactly the subject and body each notice had (plain text, nothing HTML-escaped)."""

from datetime import date
from io import StringIO

from django.conf import settings
from django.core.management import call_command

import pytest

from casework.anchors import anchor_latest_published
from casework.ledger import audit_anchor
from casework.models import Notification
from tests.conftest import person


def _mail(prefix):
    return Notification.objects.get(dedupe_key__startswith=prefix)


@pytest.fixture
def staff_emails(users):
    for name in ("registrar", "reviewer", "liaison_a"):
        users[name].email = f"{name}@example.gov.cn"
        users[name].save()
    return users


@pytest.mark.django_db
def test_office_and_division_and_urge_mails_word_for_word(
    receive_flow, act, divisions, staff_emails
):
    case = receive_flow(
        arrived=date(2026, 3, 2),
        notify_office=True,
        applicant=person(name="A&B <公司>"),
    )
    office = _mail("office-new:")
    assert office.to == ["registrar@example.gov.cn"]
    assert office.subject == f"新的网上政府信息公开申请 {case.number}"
    assert office.body == (
        f"收到网上申请 {case.number}：{case.subject}\n申请人：A&B <公司>\n"
        f"请与申请人确认收到申请（《条例》第三十一条）：{settings.SITE_URL}/cases/{case.number}/"
    )
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 2), lead_division_id=divisions["a"].pk)
    case.refresh_from_db()
    task = _mail("task:")
    assert task.to == ["liaison_a@example.gov.cn"]
    assert task.subject.startswith(f"【待办】{case.number} ")
    assert task.body == (
        f"安置处有新的待办：{case.number}（{case.subject}）\n"
        f"答复期限：{case.reply_due_on.isoformat()}\n{settings.SITE_URL}/work/?tab=division"
    )
    act(case, "urge", "reviewer", message="请尽快办理 & 答复")
    urge = _mail("urge:")
    assert urge.subject == f"【催办】{case.number}"
    assert urge.body == (
        f"请尽快办理 & 答复\n\n{case.number}（{case.subject}），"
        f"答复期限 {case.reply_due_on.isoformat()}。\n{settings.SITE_URL}/cases/{case.number}/"
    )


@pytest.mark.django_db
def test_reminder_and_digest_mails_word_for_word(receive_flow, act, divisions, staff_emails):
    case = receive_flow(arrived=date(2026, 3, 2))  # reply due Mon 2026-03-30
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 2), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 2))
    case.refresh_from_db()
    call_command("run_schedule", "--today", "2026-03-23", stdout=StringIO())
    remind = _mail(f"remind:{case.pk}:答复期限:")
    assert remind.to == ["liaison_a@example.gov.cn"]
    assert remind.subject == f"【提醒】{case.number} 距答复期限还有5个工作日"
    assert remind.body == (
        f"{case.number}（{case.subject}）的答复期限为2026-03-30，还有5个工作日。\n"
        f"{settings.SITE_URL}/cases/{case.number}/"
    )
    digest = _mail("digest:2026-03-23")
    assert digest.to == ["reviewer@example.gov.cn"]
    assert digest.subject == "依申请公开办理日报 2026-03-23：超期 0 件，即将到期 0 件"
    sent = anchor_latest_published()  # the same anchor, published outside the database
    assert sent is not None
    assert sent.at is not None
    assert str(sent) == str(audit_anchor())
    assert digest.body == (
        f"在办 1 件；已超期 0 件；{settings.DUE_SOON_WORKING_DAYS} 个工作日内到期 0 件；"
        f"待确认收到的网上/邮件申请 0 件。\n{settings.SITE_URL}/supervision/\n\n"
        f"审计锚点（请留存，用于 verify_audit --anchor 核验）：{sent}@{sent.at.isoformat()}"
    )


@pytest.mark.django_db
def test_letter_mail_word_for_word(receive_flow, act, organ, staff_emails):
    from letters.services import letter_issue

    case = receive_flow(arrived=date(2026, 3, 2), applicant=person(name="王<五>"))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    letter = letter_issue(
        number=case.number, kind="acknowledgement", actor=staff_emails["registrar"]
    )
    notice = _mail(f"letter:{letter.pk}")
    assert notice.to == ["zhangsan@example.com"]
    assert notice.subject == f"{organ.name}：政府信息公开申请登记回执（{letter.number}）"
    assert notice.body == (
        f"王<五>：\n\n您的政府信息公开申请（编号 {case.number}）有新的文书：政府信息公开申请登记回执，"
        f"文号 {letter.number}，见附件。\n文书验证码：{letter.verification_code}\n\n{organ.name}"
    )
    assert notice.attachment_name == f"{letter.number}.pdf"


@pytest.mark.django_db
def test_applicant_receipt_mail_word_for_word(client, organ, django_capture_on_commit_callbacks):
    from tests.workflows.portal.test_portal import _form

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/apply/", _form(subject="A & B <预算>"))
    assert response.status_code == 302
    notice = _mail("applied:")
    case = notice.case
    code = notice.body.split("查询码：")[1].split("\n")[0]
    assert notice.subject == f"{organ.name}：已收到您的政府信息公开申请 {case.number}"
    assert notice.body == (
        f"李明：\n\n我们已收到您的网上申请（A & B <预算>）。\n"
        f"申请编号：{case.number}\n查询码：{code}\n\n"
        f"公开办将与您确认收到申请，收到申请之日起20个工作日内答复（《条例》第三十一条、第三十三条）。\n"
        f"查询办理进度：{settings.SITE_URL}/track/\n\n{organ.name}"
    )
