"""The contract between the project and viewflow (issue 23, point 3): every private name,
attribute, signature, status value, table and column that workflows/viewflow_adapter.py relies
on, and that cancelling through viewflow's own calls leaves the flow as the flows expect.
When django-viewflow changes underneath, this test fails first; the adapter is the one place
to adapt."""

import inspect
from datetime import datetime

from django.db import connection

import pytest
from viewflow.fsm.base import TransitionMethod
from viewflow.workflow import activation as vf_activation
from viewflow.workflow.nodes import join as vf_join
from viewflow.workflow.nodes import split as vf_split
from viewflow.workflow.nodes import view as vf_view

from casework.choices import CaseStatus
from tests.conftest import NOW
from workflows import viewflow_adapter as adapter
from workflows.flows import CaseFlow
from workflows.models import CaseProcess


def test_the_split_internals_the_dynamic_split_relies_on():
    split = vf_split.Split()
    assert isinstance(split._activate_next, list)  # (node, condition, data source) triples
    assert isinstance(vf_split.Split._branches, property)
    assert vf_split.Split.activation_class is vf_split.SplitActivation
    assert "next_tasks" in inspect.getsource(vf_split.SplitActivation.__init__)
    # Our activation overrides `activate` with viewflow's status.super() decorator.
    assert hasattr(vf_activation.Activation.status, "super")
    # The branches the flow builds: the lead division's task, one opinion task per co-division.
    branches = CaseFlow.split._branches
    assert [(n.name, c, d is not None) for n, c, d in branches] == [
        ("investigate", None, False),
        ("co_opinion", None, True),
    ]
    assert isinstance(CaseFlow.split, adapter.DynamicSplit)
    assert CaseFlow.split.activation_class is adapter.DynamicSplitActivation


def test_the_status_values_the_queues_and_flows_use():
    assert {s.value for s in adapter.STATUS} >= {
        "NEW",
        "ASSIGNED",
        "STARTED",
        "DONE",
        "CANCELED",
    }
    assert {p.value for p in adapter.PROCESS} >= {"NEW", "DONE", "CANCELED"}
    assert adapter.OPEN_TASK == ("NEW", "ASSIGNED", "STARTED")
    assert CaseFlow.triage.task_type == adapter.HUMAN


def test_the_signatures_the_adapter_calls():
    create = inspect.signature(vf_view.ViewActivation.create)
    assert list(create.parameters)[:3] == ["flow_task", "prev_activation", "token"]
    for name in ("assign", "reassign", "unassign", "start", "execute", "cancel"):
        assert isinstance(getattr(vf_view.ViewActivation, name), TransitionMethod), name
    assert isinstance(vf_join.JoinActivation.cancel, TransitionMethod)
    assert str(adapter.Token("start")) == "start"


@pytest.mark.django_db
def test_the_task_table_the_queue_maps():
    task_fields = {f.name: f.column for f in adapter.Task._meta.concrete_fields}
    row_fields = {f.name: f.column for f in adapter.QueueTaskRow._meta.concrete_fields}
    assert adapter.QueueTaskRow._meta.db_table == adapter.Task._meta.db_table == "viewflow_task"
    for name, column in row_fields.items():
        assert task_fields.get(name) == column, name
    with connection.cursor() as cursor:
        columns = {
            c.name for c in connection.introspection.get_table_description(cursor, "viewflow_task")
        }
    assert set(row_fields.values()) <= columns
    # The fields the queues, services and seed_bench read or write on viewflow's task.
    assert {
        "flow_task",
        "flow_task_type",
        "status",
        "owner",
        "owner_permission",
        "owner_permission_content_type",
        "owner_permission_obj_pk",
        "token",
        "data",
        "process",
        "created",
        "started",
        "finished",
    } <= {f.name for f in adapter.Task._meta.get_fields()}


@pytest.mark.django_db
def test_cancelling_through_viewflow_ends_the_flow_as_expected(receive_flow, act, divisions):
    case = receive_flow()
    act(case, "register", "registrar")
    act(
        case,
        "assign",
        "reviewer",
        lead_division_id=divisions["a"].pk,
        co_division_ids=[divisions["b"].pk],
    )
    process = CaseProcess.objects.get(case=case)
    open_tasks = list(
        adapter.Task.objects.filter(process=process, status__in=adapter.OPEN_TASK).order_by("pk")
    )
    names = sorted(t.flow_task.name for t in open_tasks)
    assert names == ["co_opinion", "investigate"]
    # viewflow offers cancel from these tasks' status (NEW or ASSIGNED view tasks).
    for task in open_tasks:
        assert adapter.task_activation(task).cancel.can_proceed(), task.flow_task.name
    act(case, "withdraw", "registrar", reason="申请人撤回")
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    process.refresh_from_db()
    assert (process.status, process.finished) == (adapter.PROCESS.CANCELED, NOW)
    for task in open_tasks:
        task.refresh_from_db()
        assert (task.status, task.finished) == (adapter.STATUS.CANCELED, NOW)
    assert not adapter.Task.objects.filter(process=process, status__in=adapter.OPEN_TASK).exists()


@pytest.mark.django_db
def test_a_task_viewflow_cannot_cancel_is_cancelled_by_the_adapter(receive_flow, act):
    case = receive_flow()
    task = adapter.Task.objects.get(
        process__caseprocess__case=case, status__in=adapter.OPEN_TASK, flow_task_type="HUMAN"
    )
    task.status = adapter.STATUS.STARTED  # a view task caught between start and execute
    task.save()
    assert not adapter.task_activation(task).cancel.can_proceed()
    when = datetime(2026, 3, 20, 10, tzinfo=NOW.tzinfo)
    adapter.task_cancel(task, when)
    task.refresh_from_db()
    assert (task.status, task.finished) == (adapter.STATUS.CANCELED, when)
