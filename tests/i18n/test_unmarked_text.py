"""No user-facing text escapes translation: every word of text in a template, and every
sentence in the Python code that reaches a user, goes through gettext.

English-only by design (and so exempt): the JSON API and its OpenAPI document (read by the
corporations' systems), the command line (run by operators), programmers' messages
(exceptions and log lines) and the Dutch demo content (data, not interface)."""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from consent.settings import PROJECT_ROOT
from consent.templating import make_environment

TEMPLATES = PROJECT_ROOT / "templates"
PACKAGE = PROJECT_ROOT / "consent"
WORD = re.compile(r"[^\W\d_]{2,}")
EXPRESSION = "\x01"  # stands for a {{ ... }} in a flattened template
# Attributes whose value a person reads or hears.
HUMAN_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description"}
ATTRIBUTES_ONLY = re.compile(r'^\s*(?:[\w:-]+="[^"]*"\s*)+$')
# Words that are the same in every language: names and symbols, not text.
NOT_TEXT = {"consent"}
GETTEXT_CALLS = {"_", "_l", "gettext", "ngettext", "lazy_gettext"}
PROGRAMMER_CALLS = {"debug", "info", "warning", "error", "exception", "critical", "echo"}
EXEMPT_MODULES = {
    "cli.py": "the command line is for operators (English)",
    "demo.py": "prints the demo codes for an operator (English)",
    "demo_data.py": "the demo proposal's content: data in Dutch with an English translation",
}
SENTENCE = re.compile(r"^[A-Z][a-zà-ÿ]+(?:[ ,'][^\s]+){2,}")


def is_api_module(path: Path) -> bool:
    return path.parent.name == "api" or path.stem.startswith("api") or path.stem == "openapi"


class TextFinder(HTMLParser):
    """Text nodes and human-read attribute values with words in them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.raw_text_depth = 0
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self.raw_text_depth += 1
        for name, value in attrs:
            if name in HUMAN_ATTRIBUTES and value and has_words(value):
                self.found.append((self.getpos()[0], f'{name}="{value}"'))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.raw_text_depth -= 1

    def handle_data(self, data: str) -> None:
        # A macro that writes attributes (aria-describedby="...") is not text.
        if not self.raw_text_depth and has_words(data) and not ATTRIBUTES_ONLY.match(data):
            self.found.append((self.getpos()[0], data.strip()))


def has_words(text: str) -> bool:
    return any(word.lower() not in NOT_TEXT for word in WORD.findall(text))


def flatten(source: str) -> str:
    """The template's HTML with every {{ expression }} as one marker and every tag and
    comment left out: what remains as words was written in the template itself."""
    env = make_environment()
    parts = []
    for _line, kind, value in env.lex(source):
        if kind == "data":
            parts.append(value)
        elif kind == "variable_begin":
            parts.append(EXPRESSION)
    # A tag whose name is an expression (<{{ heading }} ...>) is still a tag.
    return "".join(parts).replace("<" + EXPRESSION, "<h2")


def unmarked_in_template(source: str) -> list[tuple[int, str]]:
    finder = TextFinder()
    finder.feed(flatten(source))
    finder.close()
    return finder.found


def template_files() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".txt"))


def python_files() -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if "migrations" not in p.parts and not is_api_module(p) and p.name not in EXEMPT_MODULES
    )


def call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def unmarked_in_python(source: str) -> list[tuple[int, str]]:
    """Sentence-like string literals outside gettext, docstrings, exceptions and logging.
    A line may opt out with a comment naming why: `# i18n-exempt: <reason>`."""
    tree = ast.parse(source)
    lines = source.splitlines()
    covered: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            covered.add(id(first.value))  # a docstring
        shielded = isinstance(node, ast.Raise) or (
            isinstance(node, ast.Call) and call_name(node) in GETTEXT_CALLS | PROGRAMMER_CALLS
        )
        if shielded:
            covered.update(id(inner) for inner in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in covered or not SENTENCE.match(node.value):
                continue
            if "i18n-exempt:" in lines[node.lineno - 1]:
                continue
            found.append((node.lineno, node.value))
    return found


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_text_is_marked_for_translation(path):
    found = unmarked_in_template(path.read_text(encoding="utf-8"))
    assert not found, f"text in {path.name} outside _(): " + "; ".join(
        f"line {line}: {text[:80]!r}" for line, text in found
    )


def test_python_text_is_marked_for_translation():
    problems = [
        f"{path.relative_to(PROJECT_ROOT)}:{line}: {text[:80]!r}"
        for path in python_files()
        for line, text in unmarked_in_python(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "sentences outside _() (wrap them, or mark the line i18n-exempt):\n" + (
        "\n".join(problems)
    )


def test_the_checks_find_unmarked_text():
    """The checks themselves: text outside gettext is found, marked text and markup are not."""
    template = (
        '<p class="x">{{ _("Welkom") }}</p>\n<p>Welkom terug</p>\n'
        '<img alt="Een huis" src="{{ src }}">\n<{{ h }} id="t">{{ title }}</{{ h }}>\n'
        "<style>body { font-family: sans-serif; }</style>\n"
    )
    assert [text for _line, text in unmarked_in_template(template)] == [
        "Welkom terug",
        'alt="Een huis"',
    ]
    python = (
        "from x import _\n"
        'OK = _("Deze tekst is goed vertaald")\n'
        'BAD = {"field": "Vul hier uw naam in"}\n'
        'raise ValueError("Not for users at all")\n'
        'LAST = "Internal Server Error"  # i18n-exempt: test\n'
    )
    assert unmarked_in_python(python) == [(3, "Vul hier uw naam in")]
