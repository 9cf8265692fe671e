"""Letters to PDF: Jinja templates in the reader's language, WeasyPrint, one document.

Each letter is rendered as an <article> in its own language (``use_locale``) and the
articles go into one HTML document, so WeasyPrint lays out one document with page
breaks and embeds each font once. A large batch is cut into parts of consecutive letters
that worker processes render while the caller makes the next part (WeasyPrint is
CPU-bound and single-threaded); the parts are joined in order with pypdf as they come.
"""

from __future__ import annotations

import io
import multiprocessing
import multiprocessing.context
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment
from markupsafe import Markup
from pypdf import PdfWriter

from consent import i18n
from consent.paper import qr
from consent.templating import make_environment

DOCUMENT = "paper/_letters_document.html"
# Templates in templates/letters/ that extend _letter_base.html (one <article> each).
ARTICLE_TEMPLATES = frozenset({"proposal_letter", "proposal_notice", "paper/_plain_letter"})
PARALLEL_FROM = 60  # letters; below this one process is faster than starting workers
MAX_WORKERS = 4
PART_LETTERS = 60  # about this many letters per part a worker renders as one document
WORKER_TIMEOUT = 300  # seconds to wait for one part (about 5 s on a quiet machine)


@dataclass(frozen=True)
class LetterJob:
    """One letter: a template in templates/letters/, the reader's language, JSON context."""

    template: str
    language: str
    context: dict[str, Any]


@cache
def environment() -> Environment:
    env = make_environment()
    env.globals["qr"] = qr.png_data_uri
    return env


def other_languages(language: str) -> list[str]:
    """Every other language a letter can be had in, each by its own name."""
    return [name for code, name in i18n.LANGUAGES.items() if code != language]


def _language(job: LetterJob) -> str:
    return job.language if job.language in i18n.LANGUAGES else i18n.DEFAULT


def _context(job: LetterJob) -> dict[str, Any]:
    language = _language(job)
    context = dict(job.context)
    context.setdefault("letter_date_text", context.get("notice_date_text", ""))
    context.setdefault("reference", context.get("tenancy", ""))
    context.setdefault("other_languages", other_languages(language))
    context.setdefault("names", [])
    context.setdefault("address_lines", [])
    context.setdefault("help_phone", "")
    return context | {"lang": language, "dir": i18n.direction(language)}


def template_path(name: str) -> str:
    """templates/letters/<name>.html, or a path of our own such as paper/_plain_letter."""
    return f"{name}.html" if "/" in name else f"letters/{name}.html"


def article_html(job: LetterJob) -> Markup:
    """One letter (templates/letters/<template>.html) as an <article>, in its language."""
    with i18n.use_locale(_language(job)):
        template = environment().get_template(template_path(job.template))
        return Markup(template.render(_context(job)))  # noqa: S704 - autoescaped template


def document_from_articles(articles: Sequence[Markup], languages: set[str]) -> str:
    """One HTML document holding the letters; its language is theirs if they share one."""
    lang = next(iter(languages)) if len(languages) == 1 else i18n.DEFAULT
    lang = lang if lang in i18n.LANGUAGES else i18n.DEFAULT
    with i18n.use_locale(lang):
        return (
            environment()
            .get_template(DOCUMENT)
            .render(articles=articles, lang=lang, dir=i18n.direction(lang))
        )


def document_html(jobs: Sequence[LetterJob]) -> str:
    """The HTML document of these letters (article templates only), one after another."""
    articles = [article_html(job) for job in jobs]
    return document_from_articles(articles, {_language(job) for job in jobs})


def standalone_html(job: LetterJob) -> str:
    """A letter as a whole HTML document: ours in the shared layout, others as they are."""
    if job.template in ARTICLE_TEMPLATES:
        return document_html([job])
    with i18n.use_locale(_language(job)):
        return environment().get_template(template_path(job.template)).render(_context(job))


_local = threading.local()


def font_config() -> Any:
    """This thread's WeasyPrint font configuration, made once: a new one per document
    would set up the font map and its caches again (Pango font maps are per thread)."""
    if not hasattr(_local, "fonts"):
        from weasyprint.text.fonts import FontConfiguration

        _local.fonts = FontConfiguration()
    return _local.fonts


def _render(html: str) -> Any:
    from weasyprint import HTML

    return HTML(string=html, base_url=".").render(font_config=font_config())


def html_to_pdf(html: str) -> bytes:
    pdf = _render(html).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def workers_for(count: int) -> int:
    if count < PARALLEL_FROM:
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def part_size(total: int, workers: int) -> int:
    """Letters per part: about PART_LETTERS, and as many parts for every worker."""
    rounds = max(1, round(total / (workers * PART_LETTERS)))
    return max(1, -(-total // (workers * rounds)))


def _parts(letters: Iterable[LetterJob], size: int) -> Iterator[list[LetterJob]]:
    part: list[LetterJob] = []
    for letter in letters:
        part.append(letter)
        if len(part) == size:
            yield part
            part = []
    if part:
        yield part


def _processes() -> multiprocessing.context.BaseContext:
    """Worker processes forked from a fork server, never from this process (a web server
    has threads and locks). The fork server is a fresh interpreter that imports the
    renderer once (``consent.paper.worker``), so each worker starts with it loaded."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["consent.paper.worker"])
    return context


def letters_pdf(letters: Iterable[LetterJob], total: int, workers: int | None = None) -> bytes:
    """All letters (article templates) in one PDF, in the order given.

    ``letters`` may be a generator (the caller makes each letter, e.g. issues its code,
    as it is taken). With more than one worker, each part of consecutive letters goes
    to the worker processes as soon as it is taken, so rendering runs while the next
    part is made, and finished parts are joined in order while the others render.
    """
    workers = workers or workers_for(total)
    if workers <= 1:
        made = list(letters)
        if not made:
            raise ValueError("no letters")
        return html_to_pdf(document_html(made))
    from consent.paper.worker import render_rows

    writer = PdfWriter()
    waiting: deque[Future[bytes]] = deque()
    # A worker that dies (or cannot start) fails the pending parts at once (BrokenProcessPool).
    pool = ProcessPoolExecutor(workers, mp_context=_processes())
    try:
        for part in _parts(letters, part_size(total, workers)):
            rows = [(job.template, job.language, job.context) for job in part]
            waiting.append(pool.submit(render_rows, rows))
            while waiting and waiting[0].done():
                writer.append(io.BytesIO(waiting.popleft().result()))
        if not len(writer.pages) and not waiting:
            raise ValueError("no letters")
        while waiting:
            writer.append(io.BytesIO(waiting.popleft().result(WORKER_TIMEOUT)))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def mixed_pdf(jobs: Sequence[LetterJob]) -> bytes:
    """Letters of any template in one PDF: runs of ours share a document, others not."""
    if jobs and all(job.template in ARTICLE_TEMPLATES for job in jobs):
        return letters_pdf(jobs, len(jobs))
    documents = []
    run: list[LetterJob] = []
    for job in [*jobs, None]:
        if job is not None and job.template in ARTICLE_TEMPLATES:
            run.append(job)
            continue
        if run:
            documents.append(_render(document_html(run)))
            run = []
        if job is not None:
            documents.append(_render(standalone_html(job)))
    if not documents:
        raise ValueError("no letters")
    pages = [page for document in documents for page in document.pages]
    pdf = documents[0].copy(pages).write_pdf()
    assert pdf is not None
    return bytes(pdf)
