"""The Jinja environment: i18n extension, url_for, Babel filters, and render()."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import HTMLResponse

from consent import htmx, i18n
from consent.security import CSRF_FIELD, csrf_token
from consent.settings import bundled

TEMPLATES_DIR = bundled("templates")


class FragmentCache:
    """Rendered HTML by key, at most ``size`` entries, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable, render: Callable[[], str]) -> Markup:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        html = Markup(render())  # noqa: S704 - rendered by the autoescaping environment
        with self._lock:
            self._items[key] = html
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return html


_layout_parts = FragmentCache(size=512)


def _layout_part(*key: Hashable, caller: Callable[[], str]) -> Markup:
    """``{% call layout_part(name, ...) %}...{% endcall %}`` in base.html: a part of the
    layout rendered once per key (the key names everything the part shows)."""
    return _layout_parts.get(key, caller)


@lru_cache(maxsize=4096)
def _translated(lang: str, message: str) -> Markup:
    return Markup(i18n.translations(lang).gettext(message))  # noqa: S704 - catalogue text


@pass_context
def _gettext(context: Context, message: str, /, **variables: Any) -> str:
    """Jinja's newstyle gettext (the placeholders filled in, escaped in HTML), with each
    message looked up and marked safe once per language."""
    lang = i18n.current()
    if context.eval_ctx.autoescape:
        text: str = _translated(lang, message)
    else:
        text = i18n.translations(lang).gettext(message)
    return text % variables if variables or "%" in text else text


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
        gettext=_gettext,
        languages=i18n.LANGUAGES,
        csrf_field=CSRF_FIELD,
        current_lang=i18n.current,
        text_direction=i18n.direction,
        layout_part=_layout_part,
    )
    env.filters.update(
        date=i18n.format_date,
        datetime=i18n.format_datetime,
        money=i18n.format_money,
        number=i18n.format_number,
        file_size=i18n.format_file_size,
        percent=i18n.format_percent,
    )
    return env


# The routes do not change once the app is built, so a link depends only on the app, the
# site address, the route's name and its parameters: links are built once (bounded caches).
@lru_cache(maxsize=4096)
def _link(app: Any, base_url: str, name: str, params: tuple[Any, ...]) -> URL:
    return app.router.url_path_for(name, **dict(params)).make_absolute_url(base_url=base_url)  # type: ignore[no-any-return]


@lru_cache(maxsize=1024)
def _with_lang(url: str, code: str) -> str:
    return str(URL(url).include_query_params(lang=code))


def url_for(request: Request) -> Callable[..., URL]:
    """``request.url_for``, with each link built once."""
    app = request.scope.get("app")
    cacheable = request.scope.get("router") is getattr(app, "router", None)
    base_url = str(request.base_url)

    def link(name: str, /, **params: Any) -> URL:
        key = tuple(sorted(params.items()))
        try:
            if cacheable:
                return _link(app, base_url, name, key)
        except TypeError:  # a parameter that cannot be a cache key
            pass
        return request.url_for(name, **params)

    return link


def page_context(request: Request) -> dict[str, Any]:
    """What every page needs: the request, url_for, the user, the CSRF token, the language."""
    url = str(request.url)
    return {
        "request": request,
        "url_for": url_for(request),
        "csrf_token": csrf_token(request),
        "user": getattr(request.state, "user", None),
        "lang": i18n.current(),
        "page_url": url,
        "switch_url": lambda code: _with_lang(url, code),
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
