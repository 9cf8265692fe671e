"""Dated, sourced rule figures (thresholds, deadlines, amounts).

The figures live in ``rules_data.toml`` next to this module. Every entry has a
``valid_from`` date (inclusive), an optional ``valid_until`` (exclusive), an
integer ``value`` and a ``source`` so pages can cite where a figure comes from.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

DATA_FILE = "rules_data.toml"


@dataclass(frozen=True)
class RuleEntry:
    """One dated value of a named rule figure."""

    name: str
    value: int
    valid_from: date
    valid_until: date | None
    source: str
    note: str = ""

    def applies_on(self, on: date) -> bool:
        """True when ``on`` falls inside this entry's validity window."""
        return self.valid_from <= on and (self.valid_until is None or on < self.valid_until)


def parse_rules(data: dict[str, object]) -> dict[str, tuple[RuleEntry, ...]]:
    """Validate parsed TOML and return entries per name, sorted by ``valid_from``."""
    table: dict[str, tuple[RuleEntry, ...]] = {}
    for name, raw_entries in data.items():
        if not isinstance(raw_entries, list) or not raw_entries:
            raise ValueError(f"rule data {name!r}: expected a non-empty list of entries")
        entries = sorted((_parse_entry(name, raw) for raw in raw_entries), key=_start)
        for earlier, later in zip(entries, entries[1:], strict=False):
            if earlier.valid_from == later.valid_from:
                raise ValueError(f"rule data {name!r}: two entries from {later.valid_from}")
        table[name] = tuple(entries)
    return table


def _start(entry: RuleEntry) -> date:
    return entry.valid_from


def _parse_entry(name: str, raw: object) -> RuleEntry:
    if not isinstance(raw, dict):
        raise ValueError(f"rule data {name!r}: entry must be a table")
    value, valid_from = raw.get("value"), raw.get("valid_from")
    valid_until, source = raw.get("valid_until"), raw.get("source")
    note = raw.get("note", "")
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"rule data {name!r}: value must be an integer")
    if not isinstance(valid_from, date):
        raise ValueError(f"rule data {name!r}: valid_from must be a date")
    if valid_until is not None and (not isinstance(valid_until, date) or valid_until <= valid_from):
        raise ValueError(f"rule data {name!r}: valid_until must be a date after valid_from")
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"rule data {name!r}: every entry needs a source")
    if not isinstance(note, str):
        raise ValueError(f"rule data {name!r}: note must be text")
    return RuleEntry(name, value, valid_from, valid_until, source, note)


@cache
def _table() -> dict[str, tuple[RuleEntry, ...]]:
    raw = resources.files("consent").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_rules(tomllib.loads(raw))


def names() -> tuple[str, ...]:
    """All known rule figure names, sorted."""
    return tuple(sorted(_table()))


def entries(name: str) -> tuple[RuleEntry, ...]:
    """All entries of ``name``, oldest first; ``LookupError`` for an unknown name."""
    try:
        return _table()[name]
    except KeyError:
        raise LookupError(f"unknown rule data {name!r}") from None


def entry_on(name: str, on: date) -> RuleEntry:
    """The entry of ``name`` valid on ``on`` (latest ``valid_from`` that applies)."""
    for entry in reversed(entries(name)):
        if entry.applies_on(on):
            return entry
    raise LookupError(f"no value for rule data {name!r} on {on.isoformat()}")


def value_on(name: str, on: date) -> int:
    """The value of ``name`` valid on ``on``; ``LookupError`` if there is none."""
    return entry_on(name, on).value


def latest_value(name: str) -> int:
    """The value of the most recent entry of ``name`` (used only for defaults)."""
    return entries(name)[-1].value
