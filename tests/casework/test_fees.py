from decimal import Decimal

import pytest

from casework.fees import fee_amount


@pytest.mark.parametrize(
    ("method", "quantity", "earlier", "expected"),
    [
        ("per_piece", 10, 0, 0),
        ("per_piece", 11, 0, 100),
        ("per_piece", 30, 0, 2000),
        ("per_piece", 35, 0, 3000),  # LAW.md §2.2 example: 10×0 + 20×100 + 5×200
        ("per_piece", 1, 10, 100),  # the 11th piece of the month
        ("per_piece", 1, 40, 300),  # the 41st piece
        ("per_piece", 5, 28, 2 * 100 + 3 * 200),
        ("per_page", 30, 0, 0),
        ("per_page", 150, 0, 1700),  # LAW.md §2.3 example: 70×10 + 50×20
        ("per_page", 250, 0, 70 * 10 + 100 * 20 + 50 * 40),
    ],
)
def test_fee_amount(method, quantity, earlier, expected):
    assert fee_amount(method, quantity, earlier_in_month=earlier) == Decimal(expected)


def test_bad_method_or_quantity():
    with pytest.raises(ValueError):
        fee_amount("per_kilo", 1)
    with pytest.raises(ValueError):
        fee_amount("per_page", -1)
