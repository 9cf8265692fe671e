"""The register rows are checked before anything touches the database (pure tests)."""

from __future__ import annotations

from datetime import date

import pytest

from consent.housing.csv_rows import COLUMNS, decode, parse
from consent.settings import PROJECT_ROOT
from tests.housing.housing_support import csv_text, unit, vacant


def reasons(text: str) -> dict[int, str]:
    rows, errors = parse(text)
    assert not rows or errors, "a file with errors must not give rows to apply"
    return {error.line: error.reason for error in errors}


def test_the_example_file_parses_into_24_units():
    rows, errors = parse(decode((PROJECT_ROOT / "consent/data/complex-de-linde.csv").read_bytes()))
    assert errors == []
    assert len(rows) == 24
    assert sum(1 for row in rows if row.tenancy_code) == 22
    assert {row.kind for row in rows if not row.tenancy_code} == {"sociale_huur", "koop"}
    yilmaz = next(row for row in rows if row.tenancy_code == "HO-10402")
    assert yilmaz.tenants == ("Yilmaz, A.", "Yilmaz, E.")
    assert yilmaz.language == "tr"
    assert yilmaz.bare_rent_cents == 55470
    assert yilmaz.start_date == date(2006, 3, 1)


def test_a_bom_is_tolerated_and_other_encodings_are_refused_with_the_byte():
    text = csv_text([unit(1)])
    assert decode(b"\xef\xbb\xbf" + text.encode()) == text
    rows, errors = parse(decode(b"\xef\xbb\xbf" + text.encode()))
    assert errors == [] and rows[0].unit_code == "E-1"
    latin1 = csv_text([unit(1, huurders="Müller")]).encode("latin-1")
    with pytest.raises(ValueError, match=r"not UTF-8 \(byte \d+\)"):
        decode(latin1)


def test_several_bad_rows_are_all_reported_with_line_and_reason():
    text = csv_text([
        unit(1),
        unit(2, postcode="352 KL"),
        unit(3),
        unit(4, huisnummer="4a", soort="kasteel"),
        unit(5, ingangsdatum="01-01-2015"),
    ])  # fmt: skip
    found = reasons(text)
    assert sorted(found) == [3, 5, 6]
    assert "postcode '352 KL' is not a Dutch postcode" in found[3]
    assert "huisnummer '4a' is not a number" in found[5] and "soort 'kasteel'" in found[5]
    assert "ingangsdatum '01-01-2015' is not a date (YYYY-MM-DD)" in found[6]


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("3521 KL", "3521 KL"),
        ("3521KL", "3521 KL"),
        ("3521 kl", "3521 KL"),
        (" 3521kl ", "3521 KL"),
    ],
)
def test_postcodes_are_accepted_in_both_forms_and_stored_with_a_space(given, stored):
    rows, errors = parse(csv_text([unit(1, postcode=given)]))
    assert errors == [] and rows[0].postcode == stored


@pytest.mark.parametrize(
    "postcode", ["0521 KL", "3521 K", "3521  KL", "35211 KL", "KL 3521", "3521-KL"]
)
def test_wrong_postcodes_are_refused(postcode):
    assert "is not a Dutch postcode" in reasons(csv_text([unit(1, postcode=postcode)]))[2]


def test_missing_unknown_and_doubled_columns_are_named():
    columns = tuple(c for c in COLUMNS if c not in ("postcode", "soort")) + ("bouwjaar",)
    found = reasons(csv_text([unit(1)], columns))
    assert found == {1: "missing columns: postcode, soort; unknown columns: bouwjaar"}
    doubled = reasons(csv_text([unit(1)], (*COLUMNS, "email")))
    assert doubled == {1: "columns given twice: email"}


def test_optional_columns_may_be_left_out():
    columns = ("clusterCode", "clusterNaam", "eenheidCode", "straatnaam", "huisnummer",
               "postcode", "woonplaats", "soort")  # fmt: skip
    rows, errors = parse(csv_text([vacant(1)], columns))
    assert errors == [] and rows[0].tenancy_code == "" and rows[0].language == "nl"


def test_an_empty_file_and_a_header_only_file_are_refused():
    assert reasons("") == {1: "missing columns: " + ", ".join(
        ("clusterCode", "clusterNaam", "eenheidCode", "straatnaam", "huisnummer", "postcode",
         "woonplaats", "soort"))}  # fmt: skip
    assert reasons(csv_text([])) == {1: "the file has no rows"}


def test_duplicate_unit_and_tenancy_codes_name_the_earlier_line():
    text = csv_text([unit(1), unit(2, eenheidCode="E-1"), unit(3, huurovereenkomstCode="HO-1")])
    found = reasons(text)
    assert found[3] == "eenheidCode E-1 is also on line 2"
    assert found[4] == "huurovereenkomstCode HO-1 is also on line 2"


def test_one_complex_code_has_one_name():
    found = reasons(csv_text([unit(1), unit(2, clusterNaam="De Eik")]))
    assert found == {3: "clusterNaam differs from earlier rows of C-1"}


@pytest.mark.parametrize("kind", ["koop", "bedrijfsruimte"])
def test_sold_and_commercial_units_cannot_have_a_tenancy(kind):
    assert f"a {kind} unit cannot have a tenancy" in reasons(csv_text([unit(1, soort=kind)]))[2]
    rows, errors = parse(csv_text([vacant(1, soort=kind)]))
    assert errors == [] and rows[0].kind == kind


def test_a_vacant_unit_has_no_tenants_or_start_date():
    rows, errors = parse(csv_text([vacant(1)]))
    assert errors == [] and rows[0].tenancy_code == "" and rows[0].tenants == ()
    found = reasons(csv_text([vacant(1, huurders="Iemand")]))
    assert found[2] == "huurders or ingangsdatum given without huurovereenkomstCode"


def test_a_tenancy_needs_tenants_and_co_tenants_are_split():
    assert "huurders is empty for a tenancy" in reasons(csv_text([unit(1, huurders=" | ")]))[2]
    rows, _ = parse(csv_text([unit(1, huurders="Jansen, P. | Jansen-de Vries, A.")]))
    assert rows[0].tenants == ("Jansen, P.", "Jansen-de Vries, A.")


@pytest.mark.parametrize(
    ("column", "value"),
    [("clusterNaam", "x" * 201), ("straatnaam", "x" * 201), ("woonplaats", "x" * 101),
     ("email", "a@b.nl" + "x" * 200), ("telefoon", "0" * 41), ("huisletter", "ABCDEF"),
     ("huisnummerToevoeging", "x" * 21), ("huurders", "|".join(["Naam"] * 201)),
     ("eenheidCode", "E" * 61), ("huurovereenkomstCode", "H" * 61), ("clusterCode", "C" * 61)],
)  # fmt: skip
def test_overlong_fields_are_refused(column, value):
    found = reasons(csv_text([unit(1, **{column: value})]))
    assert column in found[2]


def test_one_overlong_tenant_name_is_refused_even_when_the_column_fits():
    found = reasons(csv_text([unit(1, huurders="x" * 201 + "|Jansen")]))
    assert "a name in huurders is longer than 200 characters" in found[2]


@pytest.mark.parametrize("number", ["0", "-1", "12a", "²", "١٢", "123456", "1.5"])
def test_house_numbers_are_plain_digits(number):
    assert "is not a number" in reasons(csv_text([unit(1, huisnummer=number)]))[2]


@pytest.mark.parametrize("day", ["20150101", "2015-02-30", "2015-W01-1", "15-01-01", "2015-1-1"])
def test_start_dates_are_yyyy_mm_dd(day):
    assert "is not a date (YYYY-MM-DD)" in reasons(csv_text([unit(1, ingangsdatum=day)]))[2]


@pytest.mark.parametrize(
    ("rent", "cents"), [("612.50", 61250), ("612", 61200), ("0.5", 50), ("", None)]
)
def test_rents_become_cents(rent, cents):
    rows, errors = parse(csv_text([unit(1, kaleHuur=rent)]))
    assert errors == [] and rows[0].bare_rent_cents == cents


@pytest.mark.parametrize("rent", ["612,50", "612.505", "-1", "NaN", "Infinity", "1e3", "€ 600"])
def test_wrong_rents_are_refused(rent):
    assert "is not an amount like 612.50" in reasons(csv_text([unit(1, kaleHuur=rent)]))[2]


def test_languages_and_emails_are_checked():
    found = reasons(csv_text([unit(1, taal="de"), unit(2, email="geen-adres")]))
    assert "taal 'de' is not one of nl, en, tr, ar, pl, uk" in found[2]
    assert "email 'geen-adres' is not an email address" in found[3]
    rows, _ = parse(csv_text([unit(1, taal="AR")]))
    assert rows[0].language == "ar"


def test_codes_with_spaces_or_quotes_are_refused():
    found = reasons(csv_text([unit(1, eenheidCode="E 1"), unit(2, clusterCode="C'1")]))
    assert "eenheidCode 'E 1' is not a code" in found[2]
    assert "clusterCode" in found[3]


def test_a_row_with_more_fields_than_the_header_is_refused():
    text = csv_text([unit(1)]).rstrip("\n") + ",extra\n"
    assert "the row has more fields than the header" in reasons(text)[2]


@pytest.mark.parametrize("bad", ["Huur\0der", "Huur\x1bder", "Huur\nder", "Huur\x7fder"])
def test_control_characters_are_refused(bad):
    # PostgreSQL cannot store NUL; a newline inside a name breaks letters and lists.
    found = reasons(csv_text([unit(1, huurders=bad), unit(2, straatnaam=bad)]))
    second = 4 if "\n" in bad else 3  # a quoted line break: the next row starts a line later
    assert "huurders has a control character" in found[2]
    assert "straatnaam has a control character" in found[second]


def test_a_row_spanning_lines_is_reported_by_its_first_line_after_blank_lines():
    text = csv_text([unit(1, clusterNaam="De\nLinde"), unit(2, clusterNaam="De\nLinde")])
    text = (
        text.replace("\nC-1,", "\n\n\nC-1,", 1)
        + csv_text([unit(3, postcode="?")]).split("\n", 1)[1]
    )
    found = reasons(text)
    assert sorted(found) == [4, 6, 8]  # header, two blank lines, rows of two lines each
    assert "postcode '?'" in found[8]


def test_an_unreadable_row_is_reported_without_losing_earlier_errors():
    text = csv_text([unit(1, postcode="x"), unit(2, huurders="x" * 200_000)])
    found = reasons(text)
    assert "postcode 'x'" in found[2]
    assert any("the CSV cannot be read" in reason for reason in found.values())


def test_quoted_fields_with_commas_and_newlines_are_read():
    rows, errors = parse(csv_text([unit(1, huurders="Jansen, P.", clusterNaam="De Linde, blok A")]))
    assert errors == []
    assert rows[0].tenants == ("Jansen, P.",) and rows[0].complex_name == "De Linde, blok A"
