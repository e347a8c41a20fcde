"""The whole flow: each lifecycle transition completes its task and the next tasks appear in
the right queues (office, lead division, co-divisions)."""

import pytest
from viewflow.workflow.models import Task

from casework.choices import CaseStatus, Disposition
from tests.provision import BY_POST
from workflows.models import CaseProcess


def open_tasks(case):
    return {
        (
            t.flow_task.name,
            t.status,
            t.owner.username if t.owner else None,
            t.owner_permission_obj_pk,
        )
        for t in Task.objects.filter(
            process__caseprocess__case=case,
            flow_task_type="HUMAN",
            status__in=["NEW", "ASSIGNED", "STARTED"],
        )
    }


@pytest.mark.django_db
def test_full_path_with_co_division_return_and_archive(receive_flow, act, divisions, users):
    a, b = str(divisions["a"].pk), str(divisions["b"].pk)
    case = receive_flow()
    assert open_tasks(case) == {("triage", "NEW", None, None)}
    act(case, "register", "registrar")
    assert open_tasks(case) == {("triage", "NEW", None, None)}
    act(
        case,
        "assign",
        "reviewer",
        lead_division_id=divisions["a"].pk,
        co_division_ids=[divisions["b"].pk],
    )
    assert open_tasks(case) == {("investigate", "NEW", None, a), ("co_opinion", "NEW", None, b)}
    act(case, "claim", "liaison_a")
    assert ("investigate", "ASSIGNED", "liaison_a", a) in open_tasks(case)
    act(case, "give_opinion", "liaison_b", opinion="同意公开")
    assert open_tasks(case) == {("investigate", "ASSIGNED", "liaison_a", a)}
    act(
        case,
        "propose",
        "liaison_a",
        disposition=Disposition.GRANTED,
        basis="《条例》第三十六条第（二）项",
        **BY_POST,
    )
    assert open_tasks(case) == {("review", "NEW", None, None)}
    act(case, "return_for_revision", "reviewer", reason="请补充检索范围")
    assert open_tasks(case) == {("revise", "ASSIGNED", "liaison_a", a)}
    act(
        case,
        "propose",
        "liaison_a",
        disposition=Disposition.GRANTED,
        basis="《条例》第三十六条第（二）项",
        **BY_POST,
        searched="档案室",
    )
    assert open_tasks(case) == {("review", "NEW", None, None)}
    act(case, "check", "reviewer")
    assert open_tasks(case) == {("sign_off", "NEW", None, None)}
    act(case, "approve", "head")
    assert open_tasks(case) == {("issue", "NEW", None, None)}
    act(case, "issue_reply", "registrar")
    act(case, "record_delivery", "registrar", method="post")
    assert open_tasks(case) == {("file", "NEW", None, None)}
    act(case, "archive", "registrar")
    assert open_tasks(case) == set()
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED
    assert CaseProcess.objects.get(case=case).status == "DONE"


@pytest.mark.django_db
def test_withdraw_cancels_open_tasks(receive_flow, act, divisions):
    case = receive_flow()
    act(case, "register", "registrar")
    act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    act(case, "withdraw", "registrar", reason="申请人撤回")
    assert open_tasks(case) == set()
    assert CaseProcess.objects.get(case=case).status == "CANCELED"


@pytest.mark.django_db
def test_release_reassign_and_transfer_move_the_task(receive_flow, act, divisions, users):
    colleague = users["liaison_a2"]
    a, c = str(divisions["a"].pk), str(divisions["c"].pk)
    case = receive_flow()
    act(case, "register", "registrar")
    act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a")
    act(case, "reassign", "liaison_a", assignee_id=colleague.pk, reason="工作调整")
    assert open_tasks(case) == {("investigate", "ASSIGNED", "liaison_a2", a)}
    act(case, "release", "liaison_a2")
    assert open_tasks(case) == {("investigate", "NEW", None, a)}
    act(case, "transfer", "reviewer", lead_division_id=divisions["c"].pk, reason="职责调整")
    assert open_tasks(case) == {("investigate", "NEW", None, c)}
    case.refresh_from_db()
    assert (case.status, case.lead_division, case.assignee) == (
        CaseStatus.HANDLING,
        divisions["c"],
        None,
    )


@pytest.mark.django_db
def test_internal_due_date_defaults_to_five_working_days_before_the_reply(
    receive_flow, act, divisions
):
    from datetime import date

    case = receive_flow()  # received Mon 2026-03-02, reply due Mon 2026-03-30
    act(case, "register", "registrar")
    act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    case.refresh_from_db()
    assert case.reply_due_on == date(2026, 3, 30)
    assert case.division_due_on == date(2026, 3, 23)  # Mar 23 + 5 working days = Mar 30


@pytest.mark.django_db
def test_internal_due_date_after_the_reply_is_refused(receive_flow, act, divisions):
    from casework.errors import InvalidInput

    case = receive_flow()
    act(case, "register", "registrar")
    with pytest.raises(InvalidInput) as excinfo:
        act(
            case,
            "assign",
            "reviewer",
            lead_division_id=divisions["a"].pk,
            division_due_on="2026-04-30",
        )
    assert excinfo.value.field == "division_due_on"
