"""The register import never raises on bad input: random bytes and rows give a clean error list.

Pure parsing gets many examples; the import through the database (all or nothing) fewer.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select

from consent.accounts.service import create_corporation
from consent.db import new_session, session_scope
from consent.housing.csv_rows import COLUMNS, RowError, decode, parse
from consent.housing.importer import import_file, import_text
from consent.housing.models import Unit
from tests.factories import register_csv

NASTY = st.sampled_from(["", " ", "\x00", "\r", "\n", '"', '""', ",", ";", "\ufeff", "\u202e",
                         "=1+1", "<script>", "😀", "é", "9" * 40, "x" * 300, "-1", "0", "1.5e3",
                         "2024-02-30", "3521 KL", "sociale_huur", "koop", "nl", "a@b.nl"])  # fmt: skip
FIELD = st.one_of(NASTY, st.text(max_size=30))
ROW = st.lists(FIELD, min_size=0, max_size=len(COLUMNS) + 3)


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def assert_clean(errors: list[RowError]) -> None:
    for error in errors:
        assert isinstance(error, RowError)
        assert isinstance(error.line, int) and error.line >= 1
        assert isinstance(error.reason, str) and error.reason
        assert "Traceback" not in error.reason


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_to_rows_or_errors(text: str) -> None:
    rows, errors = parse(text)
    assert_clean(errors)
    assert rows == [] or not errors or isinstance(rows, list)


@settings(max_examples=300, deadline=None)
@given(st.lists(ROW, max_size=8), st.booleans())
def test_random_rows_under_the_real_header_give_clean_errors(
    rows: list[list[str]], shuffle: bool
) -> None:
    header = list(COLUMNS)
    if shuffle:
        header = header[::-1]
    parsed, errors = parse(to_csv(header, rows))
    assert_clean(errors)
    if not errors:  # every accepted row passed every check
        assert len(parsed) == sum(1 for row in rows if row)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_are_refused_cleanly(data: bytes) -> None:
    try:
        text = decode(data)
    except ValueError as exc:  # not UTF-8: one clear sentence
        assert str(exc) and "\n" not in str(exc)
        return
    _rows, errors = parse(text)
    assert_clean(errors)


@pytest.fixture
def corporation(engine: Engine) -> str:
    with session_scope(engine) as session:
        create_corporation(session, "fuzz", "Fuzz", actor="test")
    return "fuzz"


def units(engine: Engine) -> int:
    with new_session(engine) as session:
        return int(session.exec(select(func.count()).select_from(Unit)).one())


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW, min_size=1, max_size=5), good=st.integers(0, 3))
def test_a_bad_row_imports_nothing(engine: Engine, corporation: str, rows: list[list[str]],
                                   good: int) -> None:  # fmt: skip
    """Valid rows mixed with random ones: all or nothing, and never an exception."""
    valid = (
        list(csv.reader(io.StringIO(register_csv(homes=good, prefix="fz-"))))[1:] if good else []
    )
    text = to_csv(list(COLUMNS), valid + rows)
    before = units(engine)
    result = import_text(engine, text, corporation, "test")
    assert_clean(result.errors)
    if result.errors:
        assert units(engine) == before


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=500))
def test_random_files_never_raise_anything_but_a_clear_error(
    engine: Engine, corporation: str, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(data)
    before = units(engine)
    try:
        result = import_file(engine, path, corporation, "test")
    except ValueError as exc:  # not UTF-8
        assert "UTF-8" in str(exc) or "utf-8" in str(exc).lower()
        assert units(engine) == before
        return
    assert result.errors
    assert_clean(result.errors)
    assert units(engine) == before
