import pytest

from letters.records.samples import sample_scanned_pdf, sample_text_pdf


@pytest.fixture(scope="session")
def text_pdf() -> bytes:
    return sample_text_pdf(2)


@pytest.fixture(scope="session")
def scanned_pdf() -> bytes:
    return sample_scanned_pdf(1)
