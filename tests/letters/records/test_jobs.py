"""jobs.enqueue: a task on the long queue, enqueued after commit (the tests' immediate backend
runs it then); nothing runs when the transaction rolls back."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

import pytest

from letters.records import services
from letters.records.models import Record


@pytest.mark.django_db(transaction=True)
def test_a_record_is_processed_by_a_task_after_commit(
    receive_flow, act, divisions, users, text_pdf
):
    from letters.records.jobs import records_job

    assert records_job.queue_name == "long"  # workers: db_worker --queue-name default,long
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)

    def add_then_roll_back():
        with transaction.atomic():
            services.record_add(
                case=case,
                division=divisions["a"],
                uploaded=SimpleUploadedFile("a.pdf", text_pdf),
                actor=users["liaison_a"],
            )
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        add_then_roll_back()
    assert not Record.objects.exists()

    record = services.record_add(
        case=case,
        division=divisions["a"],
        uploaded=SimpleUploadedFile("a.pdf", text_pdf),
        actor=users["liaison_a"],
    )
    record.refresh_from_db()
    assert record.status == Record.Status.READY, record.error
    assert record.pages_done == record.pages_total == 2
