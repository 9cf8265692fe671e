"""Reading an address as a tenant types it (pure): postcode, house number, letter, addition."""

from __future__ import annotations

import re
from dataclasses import dataclass

POSTCODE = re.compile(r"^([1-9][0-9]{3})\s*([A-Z]{2})$")
NUMBER = re.compile(r"^(\d{1,5})\s*([A-Z]?)$")


def postcode(raw: str) -> str:
    """'3521kl', '3521 KL ' -> '3521 KL' (as the register stores it); '' when not a postcode."""
    match = POSTCODE.match(raw.strip().upper())
    return f"{match.group(1)} {match.group(2)}" if match else ""


def number(raw: str) -> tuple[int, str] | None:
    """'12' -> (12, ''), '12a' -> (12, 'A'); None when it is not a house number."""
    match = NUMBER.match(raw.strip().upper())
    if not match or not 0 < int(match.group(1)) < 100000:
        return None
    return int(match.group(1)), match.group(2)


def part(raw: str) -> str:
    """A letter or addition compared without case, spaces or dashes: '- 2 hoog' -> '2HOOG'."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


@dataclass(frozen=True)
class Address:
    postcode: str
    number: int
    letter: str = ""
    addition: str = ""

    def matches(self, postcode: str, number: int, letter: str, addition: str) -> bool:
        """Same postcode and number; letter and addition equal after `part` (empty = empty)."""
        return (
            self.postcode == postcode
            and self.number == number
            and part(self.letter) == part(letter)
            and part(self.addition) == part(addition)
        )
