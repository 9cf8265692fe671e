"""Scheme files: loading, validation errors and the validity window."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consent.rent_reductions.schemes import (
    HOUSEHOLD_TYPES,
    SCHEMES_DIR,
    Scheme,
    is_open,
    load_all,
    load_scheme,
)

SCHEMES = load_all()
STATUTORY = [SCHEMES["huurverlaging-2023"], SCHEMES["huurverlaging-2024"]]
DAY = dt.timedelta(days=1)


def test_all_shipped_files_load() -> None:
    assert set(SCHEMES) == {"huurverlaging-2023", "huurverlaging-2024", "template-hardship"}
    assert all(isinstance(s, Scheme) for s in SCHEMES.values())
    assert {p.stem for p in SCHEMES_DIR.glob("*.toml")} == set(SCHEMES)


def test_statutory_figures_match_rules_section_3() -> None:
    """The data files carry the figures of RULES.md section 3 (law), in cents."""
    s23, s24 = STATUTORY
    assert (s23.rent_above_cents, s23.reduced_rent_cents) == (57503, 57503)
    assert (s23.income_period, s23.income_year, s23.on_request) == ("year", 2021, False)
    assert (s23.valid_from, s23.valid_until) == (dt.date(2023, 7, 1), dt.date(2023, 12, 31))
    limits23 = [s23.income_limits_cents.for_household(t) for t in HOUSEHOLD_TYPES]
    assert limits23 == [2325000, 2460000, 3027000, 3273000]

    assert s24.reduced_rent_cents == 57791
    assert (s24.income_period, s24.on_request) == ("last_6_months", True)
    assert s24.valid_until == dt.date(2024, 12, 30)
    limits24 = [s24.income_limits_cents.for_household(t) for t in HOUSEHOLD_TYPES]
    assert limits24 == [1242000, 1321500, 1618500, 1757500]
    assert s24.conditions.tenancy_started_on_or_before == dt.date(2023, 3, 1)
    assert s24.conditions.no_earlier_reduction_under == ("huurverlaging-2023",)
    assert s24.response_days == 42
    codes = {e.code for e in s24.evidence}
    assert {"household_statement", "income_month_1", "income_month_6"} <= codes
    assert "profit_estimate" in codes
    assert "Huurcommissie" in s24.source


def test_every_scheme_is_documented() -> None:
    for scheme in SCHEMES.values():
        assert scheme.name and scheme.name_en and scheme.legal_basis and scheme.source
        assert scheme.reduced_rent_cents <= scheme.rent_above_cents
        for ev in scheme.evidence:
            assert ev.code and ev.label_nl and ev.label_en


def test_conditions_reference_known_schemes() -> None:
    for scheme in SCHEMES.values():
        assert set(scheme.conditions.no_earlier_reduction_under) <= set(SCHEMES)


@pytest.mark.parametrize("scheme", STATUTORY, ids=lambda s: s.id)
def test_is_open_inclusive_window(scheme: Scheme) -> None:
    assert scheme.valid_until is not None
    assert not is_open(scheme, scheme.valid_from - DAY)
    assert is_open(scheme, scheme.valid_from)
    assert is_open(scheme, scheme.valid_until)
    assert not is_open(scheme, scheme.valid_until + DAY)


def test_expired_scheme_stays_readable() -> None:
    s23 = load_scheme(SCHEMES_DIR / "huurverlaging-2023.toml")
    assert not is_open(s23, dt.date(2024, 1, 1))
    assert s23 == SCHEMES["huurverlaging-2023"]


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_template_is_never_open(day: dt.date) -> None:
    template = SCHEMES["template-hardship"]
    assert template.template
    assert not is_open(template, day)


def test_copied_template_without_end_date_is_open(tmp_path: Path) -> None:
    text = (SCHEMES_DIR / "template-hardship.toml").read_text(encoding="utf-8")
    text = text.replace('id = "template-hardship"', 'id = "mine"')
    text = text.replace("template = true", "template = false")
    text = re.sub(r"(?m)^valid_until = .*$", "", text)
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    mine = load_scheme(path)
    assert mine.valid_until is None and not mine.template
    assert is_open(mine, mine.valid_from + dt.timedelta(days=36500))
    assert not is_open(mine, mine.valid_from - DAY)


# --- broken files: each mutation of the 2024 file must name the file and the field ---

BASE = (SCHEMES_DIR / "huurverlaging-2024.toml").read_text(encoding="utf-8")

BROKEN = [
    ("syntax", "valid_from = 2024-01-01", "valid_from = 2024-01-01 oops", "not valid TOML"),
    ("missing", 'name_en = "Rent reduction on request 2024"\n', "", "'name_en'"),
    ("type", "rent_above_cents = 57791", 'rent_above_cents = "577.91"', "'rent_above_cents'"),
    ("float", "rent_above_cents = 57791", "rent_above_cents = 577.91", "'rent_above_cents'"),
    ("bool as int", "response_days = 42", "response_days = true", "'response_days'"),
    ("negative", "reduced_rent_cents = 57791", "reduced_rent_cents = -1", "'reduced_rent_cents'"),
    ("unknown", "on_request = true", "on_request = true\nonrequest = true", "'onrequest'"),
    ("id", 'id = "huurverlaging-2024"', 'id = "other"', "'id'"),
    ("period", 'income_period = "last_6_months"', 'income_period = "month"', "'income_period'"),
    ("limit key", "multi_pension_age = 1757500", "multi_pension = 1757500", "multi_pension"),
    ("limit", "single = 1242000", 'single = "x"', "'income_limits_cents.single'"),
    ("date", "valid_until = 2024-12-30", 'valid_until = "2024-12-30"', "'valid_until'"),
    ("order", "valid_until = 2024-12-30", "valid_until = 2023-12-30", "'valid_until'"),
    ("datetime", "valid_from = 2024-01-01", "valid_from = 2024-01-01T00:00:00", "'valid_from'"),
    ("reduced", "reduced_rent_cents = 57791", "reduced_rent_cents = 60000", "'reduced_rent"),
    ("days", "response_days = 42", "response_days = 0", "'response_days'"),
    ("days needed", "response_days = 42\n", "", "'response_days'"),
    ("year", "response_days = 42", "response_days = 42\nincome_year = 2023", "'income_year'"),
    ("cond", "_before = 2023-03-01", "_before = 1", "'conditions.tenancy_started_on_or_before'"),
    ("cond ids", '_under = ["huurverlaging-2023"]', "_under = [1]", "'conditions.no_earlier"),
    ("evidence", 'code = "income_month_6"', 'kode = "income_month_6"', "'evidence[2]"),
    ("dup", 'code = "income_month_6"', 'code = "income_month_1"', "'evidence'"),
    ("empty", 'name = "Huurverlaging op verzoek 2024"', 'name = " "', "'name'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "expected"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_broken_file_gives_clear_error(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in BASE
    path = tmp_path / "huurverlaging-2024.toml"
    path.write_text(BASE.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError) as info:
        load_scheme(path)
    message = str(info.value)
    assert str(path) in message
    assert expected in message


def test_load_all_names_the_broken_file(tmp_path: Path) -> None:
    for path in SCHEMES_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path)
    (tmp_path / "broken.toml").write_text('id = "broken"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.toml: field '"):
        load_all(tmp_path)


def test_load_all_on_a_copy_matches_default(tmp_path: Path) -> None:
    for path in SCHEMES_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path)
    assert load_all(tmp_path) == SCHEMES
    assert load_all(tmp_path / "empty-missing-dir") == {}
