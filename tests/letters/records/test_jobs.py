"""jobs.enqueue: after commit, in a background thread (the default outside tests); nothing
runs when the transaction rolls back."""

import time
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

import pytest

from letters.records import services
from letters.records.models import Record


@pytest.mark.django_db(transaction=True)
def test_a_record_is_processed_in_a_background_thread_after_commit(
    settings, receive_flow, act, divisions, users, text_pdf
):
    settings.RECORDS_JOBS_INLINE = False
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
    # Wait (bounded) for the thread; the request that added it has long returned.
    for _ in range(600):
        record.refresh_from_db()
        if record.status in (Record.Status.READY, Record.Status.FAILED):
            break
        time.sleep(0.1)
    assert record.status == Record.Status.READY, record.error
    assert record.pages_done == record.pages_total == 2
