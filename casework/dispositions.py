"""The legal bases of each disposition (LAW.md §1.8–1.11, §3.1): the articles and items that
fit it. A decision cites one of them; the officer's free text adds reasons, never replaces the
basis. And the annual-report row each disposition is counted in.

`not_processed.confirm_or_reissue` (a request to confirm, certify or reissue information the
applicant already holds): no article names this ground. The regulation's definition of
government information (Art 2: information made or obtained in performing duties and recorded
and kept) and Art 38 (only information already made or obtained is provided; nothing is
created anew) together say why such a request is not an application for government
information, so the basis is 第二条、第三十八条; the report counts it in its own row 三(五)5
(要求行政机关确认或重新出具已获取信息). Recorded in docs/adr/0006-legal-bases-from-the-law.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from casework.choices import Disposition as D

REGULATION = "《中华人民共和国政府信息公开条例》"


@dataclass(frozen=True)
class Basis:
    key: str
    citation: str  # as printed in the letter

    @property
    def short(self) -> str:
        return self.citation.replace(REGULATION, "《条例》")


def _b(key: str, articles: str, source: str = REGULATION) -> Basis:
    return Basis(key, f"{source}{articles}")


R14 = "第十四条、第三十六条第（三）项"
BASES: dict[str, tuple[Basis, ...]] = {
    D.GRANTED: (_b("36.2", "第三十六条第（二）项"),),
    D.GRANTED_ALREADY_PUBLISHED: (_b("36.1", "第三十六条第（一）项"),),
    D.PARTIAL: (_b("37", "第三十七条"), _b("37+36.2", "第三十六条第（二）项、第三十七条")),
    D.REFUSED_STATE_SECRET: (_b("14+36.3", R14),),
    D.REFUSED_PROHIBITED_BY_LAW: (_b("14+36.3", R14),),
    D.REFUSED_SECURITY_STABILITY: (_b("14+36.3", R14),),
    D.REFUSED_THIRD_PARTY_RIGHTS: (
        _b("15+36.3", "第十五条、第三十六条第（三）项"),
        _b("15+32+36.3", "第十五条、第三十二条、第三十六条第（三）项"),
    ),
    D.REFUSED_INTERNAL_AFFAIRS: (_b("16.1+36.3", "第十六条第一款、第三十六条第（三）项"),),
    D.REFUSED_PROCESS_INFORMATION: (_b("16.2+36.3", "第十六条第二款、第三十六条第（三）项"),),
    D.REFUSED_ENFORCEMENT_FILE: (_b("16.2+36.3", "第十六条第二款、第三十六条第（三）项"),),
    D.REFUSED_ADMINISTRATIVE_INQUIRY: (_b("36.7", "第三十六条第（七）项"),),
    D.UNABLE_NOT_HELD: (_b("36.4", "第三十六条第（四）项"),),
    D.UNABLE_NOT_THIS_ORGAN: (_b("36.5", "第三十六条第（五）项"),),
    D.UNABLE_NEEDS_CREATION: (_b("38", "第三十八条"),),
    D.UNABLE_UNCLEAR_AFTER_CORRECTION: (_b("30", "第三十条"),),
    D.NOT_PROCESSED_PETITION: (_b("39.1", "第三十九条第一款"),),
    D.NOT_PROCESSED_REPEATED: (_b("36.6", "第三十六条第（六）项"),),
    D.NOT_PROCESSED_PUBLICATION: (_b("39.2", "第三十九条第二款"),),
    D.NOT_PROCESSED_UNREASONABLE: (_b("35", "第三十五条"),),
    D.NOT_PROCESSED_CONFIRM: (_b("2+38", "第二条、第三十八条"),),
    D.OTHER_NO_CORRECTION: (_b("30", "第三十条"),),
    D.OTHER_FEE_UNPAID: (
        _b("109", "", "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"),
        _b("42+109", "第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"),
    ),
    D.OTHER: (_b("36", "第三十六条"),),
}

# The annual-report row (table 三) of the dispositions that are not rows of their own.
REPORT_ROW: dict[str, str] = {
    D.GRANTED_ALREADY_PUBLISHED: D.GRANTED,  # Art 36(1) → （一）予以公开
    D.UNABLE_NOT_THIS_ORGAN: D.UNABLE_NOT_HELD,  # Art 36(5) → （四）1
}


def report_row(disposition: str) -> str:
    return REPORT_ROW.get(disposition, disposition)


def dispositions_in_row(row: str) -> list[str]:
    """The dispositions counted in a report row (for the drill-down)."""
    return [row, *(d for d, r in REPORT_ROW.items() if r == row)]


def default_basis(disposition: str) -> Basis:
    return BASES[disposition][0]


def basis_for(disposition: str, given: str) -> Basis | None:
    """The basis of `disposition` that `given` names (its key or its citation, full or with
    《条例》), the default when `given` is empty, None when it names no basis of it."""
    options = BASES.get(disposition, ())
    if not given:
        return options[0] if options else None
    text = given.strip().replace(REGULATION, "《条例》")
    return next((b for b in options if text in (b.key, b.short)), None)


def basis_choices() -> list[tuple[str, str]]:
    """Choices for a form: each legal basis once (value: the key), in the order of BASES.
    Several dispositions share a basis (Art 14 serves three refusals); grouping the list by
    disposition repeated it (issue 24 point 6). Which basis fits the chosen disposition is
    checked by basis_for."""
    seen: dict[str, str] = {}
    for bases in BASES.values():
        for b in bases:
            seen.setdefault(b.key, b.short)
    return list(seen.items())
