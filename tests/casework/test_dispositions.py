"""Issue 11 points 5 and 7: each disposition offers only the bases that fit it; free text
adds reasons, never replaces the basis; Art 36(1) and 36(5) are outcomes with their report
cells."""

from datetime import date

import pytest

from casework.annual_report import report_cell_cases, table_3
from casework.choices import Disposition
from casework.dispositions import BASES, basis_for, report_row
from casework.errors import InvalidInput
from casework.models import Case, Event


def test_every_disposition_has_a_basis_and_a_report_row():
    from casework.annual_report import report_format

    leaves = set(report_format()["table_3"]["leaf_rows_summing_to_results_total"])
    for disposition in Disposition.values:
        assert BASES[disposition], disposition
        assert report_row(disposition) in leaves, disposition
    assert report_row("granted.already_published") == "granted"
    assert report_row("unable.not_this_organ") == "unable.not_held"


def test_basis_is_matched_by_key_or_citation_and_defaults_when_empty():
    assert basis_for("granted", "").key == "36.2"
    assert (
        basis_for("granted", "《中华人民共和国政府信息公开条例》第三十六条第（二）项").key == "36.2"
    )
    assert basis_for("granted", "《条例》第三十六条第（二）项").key == "36.2"
    assert basis_for("refused.state_secret", "《条例》第三十六条第（二）项") is None
    assert basis_for("not_processed.confirm_or_reissue", "").citation.endswith("第二条、第三十八条")


@pytest.fixture
def investigating(receive, fire, divisions):
    case = receive(arrived=date(2026, 3, 2))
    fire(case, "register", "registrar", on=date(2026, 3, 2))
    fire(case, "assign", "reviewer", on=date(2026, 3, 2), lead_division_id=divisions["a"].pk)
    fire(case, "claim", "liaison_a", on=date(2026, 3, 2))
    return case


@pytest.mark.django_db
def test_a_refusal_citing_the_item_for_disclosure_is_refused(investigating, fire):
    with pytest.raises(InvalidInput) as excinfo:
        fire(
            investigating,
            "propose",
            "liaison_a",
            disposition="refused.state_secret",
            basis="《中华人民共和国政府信息公开条例》第三十六条第（二）项",
            reasons="涉密",
        )
    assert excinfo.value.field == "basis"
    assert "第十四条" in excinfo.value.message
    fire(
        investigating,
        "propose",
        "liaison_a",
        disposition="refused.state_secret",
        reasons="属于国家秘密，经本机关依法定密。",
    )
    case = Case.objects.get(pk=investigating.pk)
    assert (
        case.disposition_basis == "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项"
    )
    event = Event.objects.get(case=case, kind="propose")
    assert event.payload["basis_key"] == "14+36.3"
    assert event.payload["reasons"] == "属于国家秘密，经本机关依法定密。"


@pytest.mark.django_db
def test_art_36_1_and_36_5_need_their_facts(investigating, fire):
    with pytest.raises(InvalidInput) as excinfo:
        fire(investigating, "propose", "liaison_a", disposition="granted.already_published")
    assert excinfo.value.field == "where_published"
    with pytest.raises(InvalidInput) as excinfo:
        fire(
            investigating,
            "propose",
            "liaison_a",
            disposition="unable.not_this_organ",
            reasons="该信息的公开职责不在本机关。",
        )
    assert excinfo.value.field == "responsible_organ"


@pytest.mark.django_db
def test_art_36_1_and_36_5_count_in_their_report_rows(receive, fire, organ):
    ids = {}
    for disposition, extra in [
        ("granted.already_published", {"where_published": "门户网站"}),
        (
            "unable.not_this_organ",
            {
                "reasons": "该信息的公开职责不在本机关。",
                "responsible_organ": "某局",
                "responsible_contact": "0531-12345678",
            },
        ),
    ]:
        case = receive(arrived=date(2026, 3, 2))
        fire(
            case,
            "reply_on_the_spot",
            "registrar",
            on=date(2026, 3, 2),
            disposition=disposition,
            **extra,
        )
        ids[disposition] = case.pk
    table = table_3(organ, 2026)
    assert table.cells["granted"]["natural_person"] == 1
    assert table.cells["unable.not_held"]["natural_person"] == 1
    assert list(
        report_cell_cases(organ, 2026, "granted", "total").values_list("pk", flat=True)
    ) == [ids["granted.already_published"]]
    assert list(
        report_cell_cases(organ, 2026, "unable.not_held", "total").values_list("pk", flat=True)
    ) == [ids["unable.not_this_organ"]]
