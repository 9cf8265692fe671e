"""Letters to PDF: Jinja templates in the reader's language, WeasyPrint, one document.

Each letter is rendered as an <article> in its own language (``use_locale``) and all
articles go into one HTML document, so WeasyPrint lays out one document with page
breaks. Large batches are split over worker processes (WeasyPrint is CPU-bound and
single-threaded) and the parts joined with pypdf.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from consent import i18n
from consent.paper import qr
from consent.settings import PROJECT_ROOT
from consent.templating import make_environment

DOCUMENT = "paper/_letters_document.html"
# Templates in templates/letters/ that extend _letter_base.html (one <article> each).
ARTICLE_TEMPLATES = frozenset({"proposal_letter", "proposal_notice", "paper/_plain_letter"})
PARALLEL_FROM = 60  # letters; below this one process is faster than starting workers
MAX_WORKERS = 4


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


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=".").write_pdf()
    assert pdf is not None
    return bytes(pdf)


WORKER_TIMEOUT = 900  # seconds a worker may take after its last letter


def workers_for(count: int) -> int:
    if count < PARALLEL_FROM:
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def merge(parts: Sequence[bytes]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class _Worker:
    """``python -m consent.paper.worker``: letters in as JSON lines, one PDF out.

    A fresh interpreter, not a fork: the server process has threads and locks. The
    personal codes travel only through the pipe.
    """

    def __init__(self) -> None:
        path = os.pathsep.join(p for p in (str(PROJECT_ROOT), os.environ.get("PYTHONPATH")) if p)
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed in finish or kill
        self.process = subprocess.Popen(  # noqa: S603 - our own module, no shell
            [sys.executable, "-m", "consent.paper.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            env={**os.environ, "PYTHONPATH": path},
        )

    def send(self, job: LetterJob) -> None:
        assert self.process.stdin is not None
        line = json.dumps([job.template, job.language, job.context], default=str)
        self.process.stdin.write(line.encode() + b"\n")

    def finish(self) -> bytes:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.stdin = None  # communicate() then only reads, with a time limit
        pdf, _none = self.process.communicate(timeout=WORKER_TIMEOUT)
        code = self.process.returncode
        self.errors.seek(0)
        tail = self.errors.read()[-2000:].decode(errors="replace")
        self.errors.close()
        if code != 0 or not pdf.startswith(b"%PDF"):
            raise RuntimeError(f"letter worker failed ({code}): {tail}")
        return pdf

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.errors.close()


def letters_pdf(jobs: Iterable[LetterJob], total: int, workers: int | None = None) -> bytes:
    """All letters (article templates) in one PDF, in the order given.

    ``jobs`` may be a generator (letters are made while earlier ones render). With
    more than one worker, the letters go in order to worker processes, each making
    the PDF of a consecutive share; the shares are joined at the end.
    """
    workers = workers or workers_for(total)
    if workers <= 1:
        made = list(jobs)
        if not made:
            raise ValueError("no letters")
        return html_to_pdf(document_html(made))
    share = -(-total // workers)
    running: list[_Worker] = []
    try:
        for index, job in enumerate(jobs):
            if index % share == 0:
                running.append(_Worker())
            running[-1].send(job)
        if not running:
            raise ValueError("no letters")
        with ThreadPoolExecutor(max_workers=len(running)) as pool:
            parts = list(pool.map(_Worker.finish, running))
    except BaseException:
        for worker in running:
            worker.kill()
        raise
    return merge(parts)


def mixed_pdf(jobs: Sequence[LetterJob]) -> bytes:
    """Letters of any template in one PDF: runs of ours share a document, others not."""
    from weasyprint import HTML

    if jobs and all(job.template in ARTICLE_TEMPLATES for job in jobs):
        return letters_pdf(jobs, len(jobs))
    documents = []
    run: list[LetterJob] = []
    for job in [*jobs, None]:
        if job is not None and job.template in ARTICLE_TEMPLATES:
            run.append(job)
            continue
        if run:
            documents.append(HTML(string=document_html(run), base_url=".").render())
            run = []
        if job is not None:
            documents.append(HTML(string=standalone_html(job), base_url=".").render())
    if not documents:
        raise ValueError("no letters")
    pages = [page for document in documents for page in document.pages]
    pdf = documents[0].copy(pages).write_pdf()
    assert pdf is not None
    return bytes(pdf)
