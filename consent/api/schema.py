"""OpenAPI fragments for text as the handlers read it, so the document states the real rules.

Every handler trims the spaces around a text before it checks it, so the patterns allow
them; `maxLength` counts the text as sent. A text never holds a NUL character (the
database cannot store it); a one-line text holds no control character at all.
"""

from __future__ import annotations

from typing import Any

ANY = r"[^\x00]"  # a character of a free text
ANY_VISIBLE = r"[^\x00\s]"
LINE = r"[^\x00-\x1f\x7f]"  # a character of a one-line text
LINE_VISIBLE = r"[^\x00-\x1f\x7f\s]"


def text(
    max_length: int | None = None,
    *,
    required: bool = False,
    one_line: bool = False,
    nullable: bool = False,
    description: str = "",
) -> dict[str, Any]:
    """A string field; `required`: not empty once trimmed; `nullable`: null counts as empty."""
    char, visible = (LINE, LINE_VISIBLE) if one_line else (ANY, ANY_VISIBLE)
    if one_line:
        filled = rf"{visible}(?:{char}*{visible})?"
        pattern = rf"^\s*{filled}\s*$" if required else rf"^\s*(?:{filled})?\s*$"
    else:
        pattern = rf"^{char}*{visible}{char}*$" if required else rf"^{char}*$"
    schema: dict[str, Any] = {"type": "string", "pattern": pattern}
    if required:
        schema["minLength"] = 1
    if max_length is not None:
        schema["maxLength"] = max_length
    if nullable:
        schema["nullable"] = True
    if description:
        schema["description"] = description
    return schema


def matching(pattern: str, *, nullable: bool = False, description: str = "") -> dict[str, Any]:
    """A string matching `pattern` once trimmed (the pattern without ^ and $)."""
    schema: dict[str, Any] = {"type": "string", "pattern": rf"^\s*{pattern}\s*$"}
    if nullable:
        schema["nullable"] = True
    if description:
        schema["description"] = description
    return schema
