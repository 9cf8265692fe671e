"""Plain Dutch (language level B1): every Dutch text is checked for sentence length, long
words and stiff official words. The Dutch msgids are the source text, so the check reads the
message template (locales/messages.pot, kept current by test_catalogues)."""

from __future__ import annotations

import re
from collections import defaultdict

from babel.messages.pofile import read_po

from consent.settings import PROJECT_ROOT

POT = PROJECT_ROOT / "locales" / "messages.pot"
# B1 guidance (e.g. Rijksoverheid, "Schrijf in begrijpelijke taal"): sentences of about 10 to
# 15 words and no longer than 20; few words of four syllables or more; no stiff official words.
MAX_SENTENCE_WORDS = 20
MAX_AVERAGE_WORDS = 12
MAX_LONG_WORD_SHARE = 0.15
MIN_WORDS_FOR_AVERAGES = 30  # a file with a few labels says little about its style
STIFF_WORDS = {
    "alsmede", "betreffende", "conform", "derhalve", "desalniettemin", "dienen", "dient",
    "echter", "hetgeen", "indien", "ingevolge", "inzake", "middels", "omtrent", "onverwijld",
    "reeds", "teneinde", "tevens", "thans", "voornoemde", "zulks",
}  # fmt: skip
WORD = re.compile(r"%\(\w+\)[sd]|[^\W\d_]+(?:-[^\W\d_]+)*|\d+")
SYLLABLE = re.compile(r"(?:ij|ie|oe|ou|ui|eu|ei|au|aa|ee|oo|uu|[aeiouyàáèéëïöü])+", re.I)
TAG = re.compile(r"<[^>]+>")


def sentences(text: str) -> list[str]:
    """The sentences of a text: parts that end in . ! or ? (labels and headings are not)."""
    plain = " ".join(TAG.sub(" ", text).split())
    parts = re.split(r"(?<=[.!?]) ", plain)
    return [
        part for part in parts if WORD.search(part) and part.rstrip(")").endswith((".", "!", "?"))
    ]


def words(sentence: str) -> list[str]:
    """Words; a placeholder counts as one word, a number as one."""
    return WORD.findall(sentence)


def syllables(word: str) -> int:
    return max(1, len(SYLLABLE.findall(word)))


def is_long(word: str) -> bool:
    return not word.startswith("%") and (syllables(word) >= 4 or len(word) >= 14)


def dutch_texts() -> dict[str, list[str]]:
    """Every msgid (singular and plural) by the file it comes from."""
    with POT.open("rb") as handle:
        catalog = read_po(handle)
    by_file: dict[str, list[str]] = defaultdict(list)
    for message in catalog:
        if not message.id:
            continue
        texts = [message.id] if isinstance(message.id, str) else list(message.id)
        for location, _line in message.locations:
            by_file[location].extend(texts)
    return by_file


def problems_in(texts: list[str]) -> list[str]:
    found = []
    prose = [sentence for text in texts for sentence in sentences(text)]
    for sentence in prose:
        count = len(words(sentence))
        if count > MAX_SENTENCE_WORDS:
            found.append(f"{count} words (max {MAX_SENTENCE_WORDS}): {sentence!r}")
    for text in texts:
        stiff = {w.lower() for w in words(text)} & STIFF_WORDS
        if stiff:
            found.append(f"stiff word(s) {sorted(stiff)}: {text!r}")
    all_words = [word for sentence in prose for word in words(sentence)]
    if len(all_words) >= MIN_WORDS_FOR_AVERAGES:
        average = len(all_words) / len(prose)
        if average > MAX_AVERAGE_WORDS:
            found.append(f"average sentence {average:.1f} words (max {MAX_AVERAGE_WORDS})")
        share = sum(1 for word in all_words if is_long(word)) / len(all_words)
        if share > MAX_LONG_WORD_SHARE:
            long_words = sorted({word for word in all_words if is_long(word)})
            found.append(
                f"{share:.0%} long words (max {MAX_LONG_WORD_SHARE:.0%}): {', '.join(long_words)}"
            )
    return found


def test_dutch_text_is_plain():
    report = {path: problems_in(texts) for path, texts in sorted(dutch_texts().items())}
    report = {path: found for path, found in report.items() if found}
    assert not report, "Dutch text above language level B1:\n" + "\n".join(
        f"{path}:\n  " + "\n  ".join(found) for path, found in report.items()
    )


def test_the_measures_work():
    assert sentences("Stemmen kan tot 1 mei. <strong>Let op:</strong> dat is snel! Naam") == [
        "Stemmen kan tot 1 mei.",
        "Let op: dat is snel!",
    ]
    assert len(words("U krijgt %(amount)s per maand, vanaf 2026.")) == 7
    assert syllables("huurverhoging") == 4 and is_long("huurverhoging")
    assert not is_long("huur") and not is_long("%(amount)s")
    too_long = "Dit is een zin met veel te veel woorden, " * 3 + "klaar."
    assert problems_in([too_long])[0].startswith("28 words")
    assert "stiff word(s) ['indien']" in problems_in(["Bel ons indien nodig."])[0]
    heavy = ["Energiebesparingsmaatregelen vereisen huurdersparticipatie. " * 12]
    assert any("long words" in problem for problem in problems_in(heavy))
