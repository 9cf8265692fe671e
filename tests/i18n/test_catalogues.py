"""The translation catalogues: complete where promised, placeholders intact, plural forms right,
and the template (locales/messages.pot) up to date with the sources."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from consent import i18n
from consent.settings import PROJECT_ROOT

LOCALES = PROJECT_ROOT / "locales"
POT = LOCALES / "messages.pot"
# Every shipped language except Dutch, the source language (its msgids are the text).
LANGUAGES = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]
# Every shipped language is complete: any untranslated or fuzzy message fails the suite.
COMPLETE = tuple(LANGUAGES)
# The number of plural forms per language (CLDR / gettext).
NPLURALS = {"en": 2, "tr": 2, "ar": 6, "pl": 3, "uk": 3}
PLACEHOLDER = re.compile(r"%(?:\((?P<name>\w+)\))?[#0\- +]*\d*(?:\.\d+)?(?P<kind>[a-zA-Z%])")
FIX = "run scripts/i18n extract, then translate the new messages"


def load(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def key(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def placeholders(text: str) -> list[tuple[str, str]]:
    """The format specifications in a text (named and positional), without literal %%."""
    found = [(m.group("name") or "", m.group("kind")) for m in PLACEHOLDER.finditer(text)]
    return sorted(spec for spec in found if spec[1] != "%")


def is_translated(message: Message) -> bool:
    return all(form.strip() for form in forms(message))


def short(message: Message) -> str:
    text = key(message)
    return text if len(text) <= 90 else text[:87] + "..."


def test_every_language_has_a_catalogue():
    assert POT.exists(), f"{POT} is missing: {FIX}"
    for lang in LANGUAGES:
        assert (LOCALES / lang / "LC_MESSAGES" / "messages.po").exists(), f"no catalogue for {lang}"
    assert set(NPLURALS) == set(LANGUAGES), "NPLURALS must name every shipped language"
    assert set(COMPLETE) <= set(LANGUAGES)


@pytest.mark.parametrize("lang", COMPLETE)
def test_complete_languages_have_no_untranslated_or_fuzzy_message(lang):
    catalog = load(LOCALES / lang / "LC_MESSAGES" / "messages.po", lang)
    untranslated = [short(m) for m in messages(catalog) if not is_translated(m)]
    fuzzy = [short(m) for m in messages(catalog) if m.fuzzy]
    problems = [f"untranslated: {text}" for text in untranslated]
    problems += [f"fuzzy: {text}" for text in fuzzy]
    assert not problems, (
        f"{lang} must be complete; {len(problems)} problem(s) in "
        f"locales/{lang}/LC_MESSAGES/messages.po:\n  " + "\n  ".join(problems)
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_has_every_message_of_the_template(lang):
    template = {key(m) for m in messages(load(POT))}
    catalog = {key(m) for m in messages(load(LOCALES / lang / "LC_MESSAGES" / "messages.po"))}
    missing, stale = sorted(template - catalog), sorted(catalog - template)
    assert not missing and not stale, (
        f"locales/{lang} is not updated from messages.pot ({FIX}): "
        f"missing {missing[:10]}, no longer used {stale[:10]}"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match(lang):
    """A translation uses exactly the msgid's %(name)s placeholders (a plural form may leave
    out %(num)s, e.g. Arabic's forms for one and two)."""
    catalog = load(LOCALES / lang / "LC_MESSAGES" / "messages.po", lang)
    problems = []
    for message in messages(catalog):
        if not is_translated(message):
            continue
        if isinstance(message.id, tuple):
            allowed = set(placeholders(message.id[0])) | set(placeholders(message.id[1]))
            required = {spec for spec in placeholders(message.id[1]) if spec[0] != "num"}
            for form in forms(message):
                found = set(placeholders(form))
                if not required <= found or not found <= allowed:
                    problems.append(f"{short(message)!r} -> {form!r}")
        elif placeholders(message.string) != placeholders(message.id):
            problems.append(f"{short(message)!r} -> {message.string!r}")
    assert not problems, f"{lang}: placeholders differ:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_header(lang):
    catalog = load(LOCALES / lang / "LC_MESSAGES" / "messages.po", lang)
    header = dict(catalog.mime_headers).get("Plural-Forms", "")
    assert header.startswith(f"nplurals={NPLURALS[lang]};"), (
        f"{lang}: Plural-Forms is {header!r}, expected nplurals={NPLURALS[lang]}"
    )
    assert catalog.num_plurals == NPLURALS[lang]
    for message in messages(catalog):
        if isinstance(message.id, tuple):
            assert len(forms(message)) == NPLURALS[lang], f"{lang}: {short(message)!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_compiles_and_is_used(lang):
    i18n.translations.cache_clear()
    translations = i18n.translations(lang)
    catalog = load(LOCALES / lang / "LC_MESSAGES" / "messages.po", lang)
    done = [m for m in messages(catalog) if is_translated(m) and not m.fuzzy]
    done = [m for m in done if not isinstance(m.id, tuple)]
    for message in done[:20]:
        assert translations.gettext(message.id) == message.string


def test_english_is_used_for_the_code_label():
    with i18n.use_locale("en"):
        assert i18n.gettext("Persoonlijke code") == "Personal code"
    assert i18n.gettext("Persoonlijke code") == "Persoonlijke code"  # Dutch: the msgid itself


def test_template_is_up_to_date_with_the_sources(tmp_path):
    """A new or changed msgid in a template or module must reach locales/ (scripts/i18n extract)."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(  # noqa: S603 - our own script
        ["bash", str(PROJECT_ROOT / "scripts" / "i18n"), "extract-to", str(fresh)],
        check=True,
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
    )
    extracted = {key(m) for m in messages(load(fresh))}
    stored = {key(m) for m in messages(load(POT))}
    new, gone = sorted(extracted - stored), sorted(stored - extracted)
    assert not new and not gone, (
        f"locales/messages.pot is out of date ({FIX}).\n"
        f"  new in the sources: {[t[:70] for t in new[:15]]}{' ...' if len(new) > 15 else ''}\n"
        f"  no longer in the sources: {[t[:70] for t in gone[:15]]}"
    )
