"""Art 31: the legal date of receipt per channel."""

from datetime import date

import pytest

from casework.choices import Channel
from casework.errors import InvalidInput
from casework.receipt import legal_receipt_date

TODAY = date(2026, 3, 16)


@pytest.mark.parametrize(
    ("channel", "signed_on", "expected"),
    [
        (Channel.IN_PERSON, None, date(2026, 3, 13)),
        (Channel.ORAL, None, date(2026, 3, 13)),
        (Channel.REGISTERED_POST, None, date(2026, 3, 13)),
        (Channel.REGISTERED_POST, date(2026, 3, 14), date(2026, 3, 14)),
        (Channel.ORDINARY_LETTER, None, None),
        (Channel.ONLINE, None, None),
        (Channel.EMAIL, None, None),
        (Channel.FAX, None, None),
    ],
)
def test_receipt_date_per_channel(channel, signed_on, expected):
    assert (
        legal_receipt_date(
            channel=channel, arrived_on=date(2026, 3, 13), today=TODAY, signed_on=signed_on
        )
        == expected
    )


def test_unknown_channel_future_arrival_and_bad_signature_are_refused():
    with pytest.raises(InvalidInput) as excinfo:
        legal_receipt_date(channel="pigeon", arrived_on=TODAY, today=TODAY)
    assert excinfo.value.field == "channel"
    with pytest.raises(InvalidInput) as excinfo:
        legal_receipt_date(channel=Channel.IN_PERSON, arrived_on=date(2026, 3, 17), today=TODAY)
    assert excinfo.value.field == "arrived_at"
    with pytest.raises(InvalidInput) as excinfo:
        legal_receipt_date(
            channel=Channel.REGISTERED_POST,
            arrived_on=date(2026, 3, 13),
            today=TODAY,
            signed_on=date(2026, 3, 12),
        )
    assert excinfo.value.field == "signed_on"
    with pytest.raises(InvalidInput):
        legal_receipt_date(
            channel=Channel.REGISTERED_POST,
            arrived_on=date(2026, 3, 13),
            today=TODAY,
            signed_on=date(2026, 3, 17),
        )
