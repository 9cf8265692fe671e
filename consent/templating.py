"""The Jinja environment: i18n extension, url_for, Babel filters, and render()."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from consent import htmx, i18n
from consent.security import CSRF_FIELD, csrf_token
from consent.settings import PROJECT_ROOT

TEMPLATES_DIR = PROJECT_ROOT / "templates"


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "xml", "svg"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    # Jinja's newstyle gettext fills in the placeholders itself (escaped), so it gets
    # the bare catalogue lookups for the current locale.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: i18n.translations(i18n.current()).gettext(message),
        ngettext=lambda singular, plural, n: i18n.translations(i18n.current()).ngettext(
            singular, plural, n
        ),
        newstyle=True,
    )
    env.globals.update(
        languages=i18n.LANGUAGES,
        csrf_field=CSRF_FIELD,
        current_lang=i18n.current,
        text_direction=i18n.direction,
    )
    env.filters.update(
        date=i18n.format_date,
        datetime=i18n.format_datetime,
        money=i18n.format_money,
        number=i18n.format_number,
        percent=i18n.format_percent,
    )
    return env


def page_context(request: Request) -> dict[str, Any]:
    """What every page needs: the request, url_for, the user, the CSRF token, the language."""
    return {
        "request": request,
        "url_for": request.url_for,
        "csrf_token": csrf_token(request),
        "user": getattr(request.state, "user", None),
        "lang": i18n.current(),
        "switch_url": lambda code: str(request.url.include_query_params(lang=code)),
    }


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    partial: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a page, or only its partial when htmx asks for it."""
    env: Environment = request.app.state.templates
    name = partial if partial and htmx.is_htmx(request) else template
    html = env.get_template(name).render({**page_context(request), **(context or {})})
    return HTMLResponse(html, status_code=status_code, headers=headers)


def render_text(env: Environment, template: str, **context: Any) -> str:
    """Render outside a request (letters, emails) in the locale currently in use."""
    return env.get_template(template).render(context)
