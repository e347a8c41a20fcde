import pytest

from letters.records.samples import sample_scanned_pdf, sample_text_pdf


@pytest.fixture(autouse=True)
def _inline_jobs(settings):
    """Record jobs run in the committing thread (the lead swaps jobs.enqueue for a task)."""
    settings.RECORDS_JOBS_INLINE = True


@pytest.fixture(scope="session")
def text_pdf() -> bytes:
    return sample_text_pdf(2)


@pytest.fixture(scope="session")
def scanned_pdf() -> bytes:
    return sample_scanned_pdf(1)
