"""The letter-rendering worker: what ``consent.paper.pdf.letters_pdf`` runs in its pool.

The fork server imports this module once, so every worker it forks starts with the
renderer, the letter templates and the translations loaded. A worker gets a part of
consecutive letters (template, language, context) and returns their PDF.
"""

from __future__ import annotations

from typing import Any

import weasyprint  # noqa: F401 - imported once in the fork server, not in every worker

from consent import i18n
from consent.paper.pdf import (
    ARTICLE_TEMPLATES,
    DOCUMENT,
    LetterJob,
    document_html,
    environment,
    html_to_pdf,
    template_path,
)


def render_rows(rows: list[tuple[str, str, dict[str, Any]]]) -> bytes:
    """The PDF of these letters, in this order."""
    return html_to_pdf(document_html([LetterJob(*row) for row in rows]))


def _load() -> None:
    for name in (DOCUMENT, *(template_path(t) for t in ARTICLE_TEMPLATES)):
        environment().get_template(name)
    for language in i18n.LANGUAGES:
        i18n.translations(language)


_load()
