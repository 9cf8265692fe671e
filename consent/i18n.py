"""Locale choice, gettext from the .po catalogues, and Babel formatting per locale."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations
from babel.units import format_unit

from consent.settings import bundled
from consent.timeutil import AMSTERDAM, to_local

LANGUAGES: dict[str, str] = {
    "nl": "Nederlands",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "pl": "Polski",
    "uk": "Українська",
}
DEFAULT = "nl"
RTL = {"ar"}
LOCALES_DIR = bundled("locales")
COOKIE = "lang"

_current: ContextVar[str] = ContextVar("locale", default=DEFAULT)


@cache
def translations(lang: str) -> NullTranslations:
    """The catalogue for a language, compiled in memory from its .po file."""
    po_path = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT or not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


def current() -> str:
    return _current.get()


def set_locale(lang: str) -> None:
    _current.set(lang if lang in LANGUAGES else DEFAULT)


@contextmanager
def use_locale(lang: str) -> Iterator[None]:
    """Render something (a letter, an email) in another language than the page."""
    token = _current.set(lang if lang in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str, **variables: object) -> str:
    text = translations(current()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    text = translations(current()).ngettext(singular, plural, n)
    variables.setdefault("num", n)
    return text % variables


_ = gettext


class LazyString:
    """A module-level label translated when shown, in the reader's language."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return gettext(self.message)

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))


def lazy_gettext(message: str) -> LazyString:
    return LazyString(message)


def choose(query_lang: str | None, cookie_lang: str | None, accept_language: str) -> str:
    """?lang= wins, then the cookie, then the browser's Accept-Language, then Dutch."""
    for candidate in (query_lang, cookie_lang):
        if candidate in LANGUAGES:
            return str(candidate)
    preferred = []
    for part in accept_language.split(","):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        if tag:
            preferred.append((weight, tag.strip().replace("-", "_")))
    ordered = [tag for _w, tag in sorted(preferred, key=lambda item: -item[0])]
    found = Locale.negotiate(ordered, list(LANGUAGES), sep="_") if ordered else None
    return str(found) if found else DEFAULT


def direction(lang: str | None = None) -> str:
    return "rtl" if (lang or current()) in RTL else "ltr"


def _babel_locale(lang: str | None = None) -> Locale:
    try:
        return Locale.parse(lang or current())
    except UnknownLocaleError:
        return Locale.parse(DEFAULT)


def format_date(value: date | None, form: str = "long") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return _babel_date(value, format=form, locale=_babel_locale())


def format_datetime(value: datetime | None, form: str = "medium") -> str:
    if value is None:
        return ""
    return _datetime_text(value, form, current())


@lru_cache(maxsize=1024)
def _datetime_text(value: datetime, form: str, lang: str) -> str:
    """Formatted once per moment, form and language (a page shows the same few moments)."""
    locale = _babel_locale(lang)
    return _babel_datetime(to_local(value), format=form, tzinfo=AMSTERDAM, locale=locale)


def format_money(cents: int | None) -> str:
    if cents is None:
        return ""
    return format_currency(
        Decimal(cents) / 100, "EUR", locale=_babel_locale(), numbering_system="latn"
    )


def format_number(value: int | Decimal | float) -> str:
    return format_decimal(value, locale=_babel_locale(), numbering_system="latn")


def format_file_size(size_bytes: int) -> str:
    """A file size in whole kilobytes, rounded up, in the locale's unit ("12 kB")."""
    kilobytes = max(1, -(-size_bytes // 1024))
    return format_unit(
        kilobytes,
        "digital-kilobyte",
        length="short",
        locale=_babel_locale(),
        numbering_system="latn",
    )


def format_percent(value: Decimal | None) -> str:
    """A percentage given as a Decimal with two places (e.g. Decimal('70.00'))."""
    if value is None:
        return "–"
    return (
        format_decimal(value, format="#,##0.00", locale=_babel_locale(), numbering_system="latn")
        + "%"
    )
