"""A letter-rendering worker process: JSON lines of letters on stdin, one PDF on stdout.

Started by ``consent.paper.pdf.letters_pdf`` for large batches as a fresh interpreter
(``python -m consent.paper.worker``): it reads every letter, renders each to HTML in its
language, and makes one PDF of them.
"""

from __future__ import annotations

import json
import sys

from consent.paper.pdf import LetterJob, article_html, document_from_articles, html_to_pdf


def main() -> None:
    articles = []
    languages = set()
    lines = sys.stdin.buffer.readlines()  # all first: the server is never kept waiting
    for line in lines:
        if not line.strip():
            continue
        template, language, context = json.loads(line)
        job = LetterJob(template, language, context)
        languages.add(job.language)
        articles.append(article_html(job))
    html = document_from_articles(articles, languages)
    sys.stdout.buffer.write(html_to_pdf(html))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
