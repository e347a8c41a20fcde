from io import StringIO

from django.core.management import call_command

import pytest

from casework.models import Case, Event, Organ
from letters.models import Letter


@pytest.mark.django_db
def test_load_demo_loads_everything_and_is_idempotent():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "已创建示例案件 11 件" in out.getvalue()
    snapshot = (
        Organ.objects.count(),
        Case.objects.count(),
        Event.objects.count(),
        Letter.objects.count(),
    )
    call_command("load_demo", stdout=out)
    assert "未重复创建" in out.getvalue()
    assert (
        Organ.objects.count(),
        Case.objects.count(),
        Event.objects.count(),
        Letter.objects.count(),
    ) == snapshot
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {
        "received",
        "correction",
        "handling",
        "investigation",
        "review",
        "replied",
        "archived",
        "withdrawn",
    } <= statuses
    assert Letter.objects.filter(kind="reply.unable.not_held").exists()
