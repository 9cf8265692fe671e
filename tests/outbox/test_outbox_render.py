"""Rendering: subject line, blank line, body; the recipient's language; no escaping."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from jinja2 import Environment, UndefinedError

from consent import i18n
from consent.outbox.models import OutboxMessage
from consent.outbox.render import build_email, render_email
from consent.outbox.rules import TemplateFormatError
from consent.settings import Settings


def message(
    template: str = "outbox_lang", language: str = "nl", **context: object
) -> OutboxMessage:
    return OutboxMessage(
        id=7,
        corporation_id=1,
        recipient="jan@example.nl",
        language=language,
        template=template,
        context=json.dumps({"name": "Jan", "raw": "", **context}),
        created_at=datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
    )


def test_subject_is_the_first_line_and_the_body_follows_the_blank_line(
    test_env: Environment,
) -> None:
    subject, body = render_email(test_env, message())
    assert subject == "Bericht (nl) voor Jan"
    assert body.splitlines() == [
        "Hallo Jan,",
        "Taal: nl, richting: ltr.",
        "Getal: 1.234,5",
        "Met vriendelijke groet",
    ]


@pytest.mark.parametrize(
    ("language", "expected_lang", "direction", "number"),
    [
        ("en", "en", "ltr", "1,234.5"),
        ("ar", "ar", "rtl", "1,234.5"),
        ("xx", "nl", "ltr", "1.234,5"),
    ],
)
def test_renders_in_the_recipients_language(
    test_env: Environment, language: str, expected_lang: str, direction: str, number: str
) -> None:
    assert i18n.current() == "nl"
    subject, body = render_email(test_env, message(language=language))
    assert subject == f"Bericht ({expected_lang}) voor Jan"
    assert f"Taal: {expected_lang}, richting: {direction}." in body
    assert f"Getal: {number}" in body
    assert i18n.current() == "nl"  # the caller's locale is restored


def test_text_templates_are_not_html_escaped(test_env: Environment) -> None:
    _subject, body = render_email(test_env, message(raw="<b>Jansen & Zn</b> 'x'"))
    assert "Tekens: <b>Jansen & Zn</b> 'x'" in body


def test_a_template_without_the_blank_line_is_refused(test_env: Environment) -> None:
    with pytest.raises(TemplateFormatError, match="second line must be empty"):
        render_email(test_env, message(template="outbox_bad"))


def test_a_missing_variable_is_an_error(test_env: Environment) -> None:
    broken = message()
    broken.context = json.dumps({"raw": ""})
    with pytest.raises(UndefinedError):
        render_email(test_env, broken)


def test_build_email_headers(settings: Settings) -> None:
    email = build_email(settings, message(language="en"), "Onderwerp é", "Tekst ü\n")
    assert email["To"] == "jan@example.nl"
    assert email["From"] == settings.mail_from
    assert email["Subject"] == "Onderwerp é"
    assert email["Content-Language"] == "en"
    assert email["Auto-Submitted"] == "auto-generated"
    assert email["Message-ID"] == "<outbox.7.20250301093000@localhost>"
    assert email.get_content() == "Tekst ü\n"
