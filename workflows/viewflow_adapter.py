"""Everything of viewflow (django-viewflow 2.4, `viewflow.workflow`) beyond its flow
builder lives here (issue 23, point 3): the split with a data source, the task and process
models and their status values, the task table the queues read, and every move of a task —
complete, claim, release, reassign, move to another queue, cancel, re-open.

The rest of the project imports viewflow's names from this module only (the flow builder
`viewflow.workflow.flow`/`this`/`lock` in workflows/flows.py, the admin classes and the timer
runner aside). tests/workflows/test_viewflow_adapter.py is the contract: it asserts every
private name, attribute, signature, status value, table and column relied on here, and that
cancelling through viewflow's own calls leaves the flow as the flows expect. When viewflow
changes underneath, that test fails first, and this module is the one place to adapt.

Tasks are cancelled through viewflow's own activation calls (`activation.cancel()`), which
set the task's status and finish time. Where viewflow offers no call, the adapter writes the
task itself, and says so: moving a task to another division's queue, and cancelling a task
whose node has no cancel transition from its status (a view task caught STARTED).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from viewflow.this_object import ThisObject
from viewflow.workflow.activation import Activation
from viewflow.workflow.base import Node
from viewflow.workflow.models import Process, Task
from viewflow.workflow.nodes.split import Split, SplitActivation
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from casework.lifecycle.actors import Staff

__all__ = [
    "HUMAN",
    "OPEN_TASK",
    "PROCESS",
    "STATUS",
    "DynamicSplit",
    "DynamicSplitActivation",
    "Process",
    "QueueTaskRow",
    "Task",
    "Token",
    "node_reopen",
    "process_cancel",
    "task_activation",
    "task_cancel",
    "task_claim",
    "task_complete",
    "task_move_to_queue",
    "task_reassign",
    "task_release",
]

# The statuses of a task still to be worked on, and the type of a person's task.
OPEN_TASK = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
HUMAN = "HUMAN"


# --- the split with a data source ---------------------------------------------------------------


class DynamicSplitActivation(SplitActivation):
    """A split whose branches may carry a data source: one task per item (task.data = item).
    viewflow 2.4's open-source Split documents `data_source` but ignores it. Relies on
    `Split._branches` (node, condition, data source) and `SplitActivation.next_tasks`."""

    @Activation.status.super()
    def activate(self) -> None:
        for node, cond, data_source in self.flow_task._branches:
            if cond and not cond(self):
                continue
            if data_source is None:
                self.next_tasks.append((node, None))
            else:
                self.next_tasks.extend((node, item) for item in data_source(self))
        if not self.next_tasks:
            raise RuntimeError(f"No next task available for {self.flow_task.name}")


class DynamicSplit(Split):
    activation_class = DynamicSplitActivation

    def NextEach(  # noqa: N802 - viewflow's builder style
        self,
        node: Node | ThisObject,
        data_source: ThisObject | Callable[[Activation], Iterable[object]],
    ) -> DynamicSplit:
        self._activate_next.append((node, None, data_source))
        return self


# --- the task table, read by the queues ---------------------------------------------------------


class QueueTaskRow(models.Model):
    """viewflow's task table, read only, with its process as the case process it is: the
    queue's urgency order reads the case's due date in two joins (task → case process → case)
    instead of three through viewflow's process table. At 100,000 cases, for an officer with
    739 open tasks, that took the page query from 12.3 to 4.8 ms (workflows.selectors.QueueList).
    Never written: viewflow's Task is the model that writes these rows."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    process = models.ForeignKey(
        "workflows.CaseProcess", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    status = models.CharField(max_length=50)
    flow_task_type = models.CharField(max_length=50)
    # Nullable as viewflow declares these columns.
    owner_permission = models.CharField(max_length=255, null=True)  # noqa: DJ001
    owner_permission_obj_pk = models.CharField(max_length=255, null=True)  # noqa: DJ001

    class Meta:
        app_label = "workflows"
        managed = False
        db_table = "viewflow_task"
        default_permissions = ()

    def __str__(self) -> str:
        return f"task {self.pk}"


# --- moving tasks -------------------------------------------------------------------------------


def task_activation(task: Task) -> Activation:
    """The activation of `task`: what viewflow moves a task with."""
    return task.flow_task.activation_class(task)


_activation = task_activation


def task_complete(task: Task, user: Staff | None) -> None:
    """Claim the task for `user` if needed, then complete it and create the next ones."""
    activation = _activation(task)
    if task.status == STATUS.NEW:
        activation.assign(user)
    elif task.owner_id != getattr(user, "pk", None):
        activation.reassign(user)
    activation.start(None)
    activation.execute()


def task_claim(task: Task, user: Staff | None) -> None:
    """The task becomes `user`'s (assigned if new, reassigned if someone else held it)."""
    activation = _activation(task)
    activation.assign(user) if task.status == STATUS.NEW else activation.reassign(user)


def task_release(task: Task) -> None:
    """A claimed task goes back to its queue, unclaimed."""
    _activation(task).unassign()


def task_reassign(task: Task, user: Staff | None) -> None:
    _activation(task).reassign(user)


def task_move_to_queue(task: Task, obj: models.Model) -> None:
    """The task goes to the queue of `obj` (a division), unclaimed, keeping its permission
    name. viewflow offers no call for this: the task's owner fields are written here."""

    task.owner = None
    task.status = STATUS.NEW
    task.owner_permission_content_type = ContentType.objects.get_for_model(type(obj))
    task.owner_permission_obj_pk = str(obj.pk)
    task.save()


def task_cancel(task: Task, now: datetime | None = None) -> Activation:
    """Cancel one open task through viewflow's own call (`activation.cancel()`, which sets
    its status and finish time), and return its activation. A task whose node offers no
    cancel from its status is cancelled by writing its status (viewflow would refuse it).
    `now`, when given, is its finish time (the lifecycle's clock, as the transition's)."""
    activation = _activation(task)
    cancel = getattr(activation, "cancel", None)
    if cancel is not None and cancel.can_proceed():
        cancel()
    else:
        task.status = STATUS.CANCELED
        task.finished = now or timezone.now()
        task.save()
    if now is not None and task.finished != now:
        task.finished = now
        task.save(update_fields=["finished"])
    return activation


def process_cancel(process: Process | None, tasks: Iterable[Task], now: datetime) -> None:
    """Cancel a process's open `tasks` one by one through viewflow, then the process itself,
    both finished at `now` (viewflow's `Flow.cancel` would stamp the server's clock and
    refuse a task it cannot cancel)."""
    for task in tasks:
        task_cancel(task, now)
    if process is None:
        return
    process.status = PROCESS.CANCELED
    process.finished = now
    process.save(update_fields=["status", "finished"])


def node_reopen(node: Node, after: Activation, token: Token | str) -> None:
    """Create and activate a new task of `node` after the activation `after` with the
    execution `token` (viewflow has no edge back; the node's own activation creates it)."""
    activation = node.activation_class.create(node, after, token)
    activation.activate()
