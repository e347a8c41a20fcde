"""Information-processing fees (信息处理费) under 国办函〔2020〕109号. Pure: no ORM, no clock.

Art 3: two methods, per piece (按件计收) and per volume (按量计收), both progressive; one
method per application. Art 4 (per piece): counted per applicant over a calendar month —
pieces 1–10 free, 11–30 at 100 yuan, then bands of 10 pieces each 100 yuan dearer (31–40 at
200, 41–50 at 300, …; the band arithmetic beyond 30 is the reading in LAW.md §2.2, marked
UNCONFIRMED there). Art 5 (per volume): pages 1–30 free, 31–100 at 10, 101–200 at 20,
201 and above at 40 yuan per page.
"""

from decimal import Decimal

PER_PIECE = "per_piece"
PER_PAGE = "per_page"


def _piece_rate(n: int) -> int:
    """The fee in yuan for the n-th piece of the applicant's month (1-based)."""
    if n <= 10:
        return 0
    if n <= 30:
        return 100
    return 100 * ((n - 31) // 10 + 2)


def _page_rate(n: int) -> int:
    if n <= 30:
        return 0
    if n <= 100:
        return 10
    if n <= 200:
        return 20
    return 40


def fee_amount(method: str, quantity: int, *, earlier_in_month: int = 0) -> Decimal:
    """The fee for `quantity` pieces or pages.

    Per piece, `earlier_in_month` is how many pieces the same applicant already applied for
    in the same calendar month: the bands are cumulative over the month (Art 4). Per page the
    bands apply to this application's pages alone (Art 5).
    """
    if quantity < 0 or earlier_in_month < 0:
        raise ValueError("quantities are never negative")
    if method == PER_PIECE:
        total = sum(
            _piece_rate(n) for n in range(earlier_in_month + 1, earlier_in_month + quantity + 1)
        )
    elif method == PER_PAGE:
        total = sum(_page_rate(n) for n in range(1, quantity + 1))
    else:
        raise ValueError(f"unknown charging method {method!r}")
    return Decimal(total).quantize(Decimal("0.01"))
