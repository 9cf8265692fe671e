"""Pure parts of the request: amounts, dates, household rules, file sniffing, explanations."""

from __future__ import annotations

import datetime as dt

import pytest

from consent.i18n import use_locale
from consent.rent_reductions import explain, forms, uploads
from consent.rent_reductions.eligibility import check
from consent.rent_reductions.schemes import load_all
from consent.settings import Settings
from tests.rent_reductions.rr_support import EXE, HTML, JPEG, PDF, PNG

TODAY = dt.date(2024, 6, 3)
S24 = load_all()["huurverlaging-2024"]


@pytest.mark.parametrize(
    ("raw", "cents"),
    [
        ("650", 65000),
        ("650,5", 65050),
        ("650,05", 65005),
        ("650.05", 65005),
        ("1.234,56", 123456),
        ("1,234.56", 123456),
        ("1.234", 123400),
        ("€ 12.420,00", 1242000),
        ("0", 0),
    ],
)
def test_parse_money_accepts_what_people_type(raw, cents):
    assert forms.parse_money(raw) == cents


@pytest.mark.parametrize("raw", ["", "abc", "-5", "1.2.3", "12,345,6", "1e5", "99999999999999"])
def test_parse_money_refuses_non_amounts(raw):
    assert forms.parse_money(raw) is None


@pytest.mark.parametrize(
    ("raw", "day"),
    [("2024-01-31", dt.date(2024, 1, 31)), ("31-01-2024", dt.date(2024, 1, 31)),
     ("1/2/2024", dt.date(2024, 2, 1)), ("31-02-2024", None), ("gisteren", None)],
)  # fmt: skip
def test_parse_date(raw, day):
    assert forms.parse_date(raw) == day


def test_household_counts_children_under_27_only():
    values = {"adult1_name": "A", "adult1_birth": "01-01-1980", "rent": "600",
              "child1_birth": "04-06-1997", "child2_birth": "03-06-1997"}  # fmt: skip
    data, errors = forms.household_form(values, [], TODAY)
    # Born 4 June 1997: 26 on 3 June 2024. Born 3 June 1997: 27 that day, so an adult.
    assert list(errors) == ["child2_birth"]
    assert "27 jaar of ouder" in errors["child2_birth"]
    assert len(data["children"]) == 2


def test_household_requires_names_and_dates_for_filled_rows():
    data, errors = forms.household_form({"adult2_name": "B", "rent": "x"}, [], TODAY)
    assert set(errors) == {"adult1_name", "adult1_birth", "adult2_birth", "rent"}


def test_income_form_needs_every_adult_and_a_past_date():
    adults = [{"name": "A"}, {"name": "B"}]
    data, errors = forms.income_form({"adult1_income": "100", "income_dropped_on": "01-01-2030"},
                                     adults, TODAY)  # fmt: skip
    assert set(errors) == {"adult2_income", "income_dropped_on"}


def test_children_count_for_size_not_income():
    """A single parent with a working child: multi-person limit, child's income ignored."""
    values = {"adult1_birth": "01-01-1980", "adult1_income": "16.185,00", "children": "1",
              "rent": "650", "tenancy_start": "01-01-2020"}  # fmt: skip
    answers, errors = forms.check_form(values, [], TODAY, {"last_6_months": "income"})
    assert not errors
    verdict = check(S24, answers["last_6_months"], TODAY)
    assert verdict.eligible
    assert verdict.reasons[0].household_type == "multi"


@pytest.mark.parametrize(
    ("content", "expected"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"), (EXE, None), (HTML, None),
     (b"", None), (b"%PDx", None)],
)  # fmt: skip
def test_sniff_decides_by_content(content, expected):
    found = uploads.sniff(content[:16])
    assert (found[0] if found else None) == expected


def test_store_refuses_and_names_randomly(tmp_path):
    settings = Settings(secret_key="x", upload_dir=tmp_path)
    for content, reason in ((EXE, "type"), (HTML, "type"), (b"", "empty"),
                            (PDF + b"0" * uploads.MAX_UPLOAD_BYTES, "too_large")):  # fmt: skip
        with pytest.raises(uploads.UploadError) as refused:
            uploads.store(settings, content)
        assert refused.value.reason == reason
    stored = uploads.store(settings, PDF)
    path = uploads.path_for(settings, stored.stored_name)
    assert path.parent == tmp_path / "rent_reductions"
    assert path.read_bytes() == PDF
    with pytest.raises(ValueError):
        uploads.path_for(settings, "../../etc/passwd")


def test_display_name_and_disposition_are_safe():
    assert uploads.display_name("C:\\tmp\\evil.exe", "application/pdf") == "evil.pdf"
    header = uploads.disposition('loon "mei"\r\n.pdf')
    assert header.startswith('attachment; filename="loon__mei_.pdf"')
    assert "\r" not in header and "\n" not in header


def test_reasons_are_plain_dutch_with_formatted_amounts():
    values = {"adult1_birth": "01-01-1980", "adult1_income": "13000", "rent": "500",
              "tenancy_start": "01-06-2023"}  # fmt: skip
    answers, _errors = forms.check_form(values, ["huurverlaging-2023"], TODAY,
                                        {"last_6_months": "income"})  # fmt: skip
    verdict = check(S24, answers["last_6_months"], TODAY)
    with use_locale("nl"):
        texts = [explain.reason_text(r, S24).replace("\xa0", " ") for r in verdict.reasons]
    assert texts == [
        "Uw huur is € 500,00. De huur moet hoger zijn dan € 577,91.",
        "Uw inkomen is € 13.000,00. Dat is meer dan € 12.420,00. Dat is de grens als u alleen woont.",
        "Uw huurcontract begon op 1 juni 2023. Het moet begonnen zijn op of voor 1 maart 2023.",
        "U kreeg al huurverlaging via: Eenmalige huurverlaging 2023. Dan kunt u deze niet krijgen.",
    ]
