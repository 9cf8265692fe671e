"""Helpers to bring a browser page into a Visit's state and to run axe-core on it."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from consent.app import create_app
from consent.settings import Settings
from tests.browser.visits import ANONYMOUS, STAFF, TENANT, Page, Visit, submit

# WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_TIMEOUT_MS = 60_000

_app: Starlette | None = None


def routing_app() -> Starlette:
    """An app instance used only for its routing table (url_path_for, route listing)."""
    global _app
    if _app is None:
        _app = create_app(Settings(database_url="sqlite://", secret_key="routing-only"))
    return _app


def path_of(visit: Visit, seed: Any) -> str:
    if visit.path is not None:
        return visit.path
    assert visit.route is not None, f"visit {visit.name} has neither a route nor a path"
    return str(routing_app().url_path_for(visit.route, **visit.params(seed)))


def with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def sign_in(page: Page, server: Any, who: str, lang: str) -> None:
    """Become a tenant (enter a seeded code) or a staff member (sign in) in this context."""
    seed = server.seed
    kind, _, name = who.partition(":")
    if kind == TENANT:
        page.goto(server.url(with_lang("/", lang)))
        submit(page, {"#code": seed.codes[name or "tenant"]})
        assert "/code" not in page.url, f"the code {name or 'tenant'} was refused: {page.url}"
    elif kind == STAFF:
        page.goto(server.url(with_lang("/inloggen", lang)))
        submit(page, {"#email": seed.staff[name or "project_leader"], "#password": seed.password})
        assert "/inloggen" not in page.url, f"staff sign-in as {who} failed: {page.url}"
    else:
        assert kind == ANONYMOUS, f"unknown visitor {who!r}"


def open_visit(page: Page, server: Any, visit: Visit, lang: str) -> None:
    """Open the page in `lang` (the context is signed in already), act, check the state."""
    response = page.goto(server.url(with_lang(path_of(visit, server.seed), lang)))
    assert response is not None
    assert response.status == visit.status, (
        f"{visit.name} ({lang}): status {response.status}, expected {visit.status}"
    )
    if visit.act is not None:
        visit.act(page, server.seed)
    assert page.locator(visit.expect).count() > 0, (
        f"{visit.name} ({lang}): no {visit.expect!r} on {page.url}"
    )
    html = page.locator("html")
    assert html.get_attribute("lang") == lang, f"{visit.name}: page is not in {lang}"
    expected_dir = "rtl" if lang == "ar" else "ltr"
    assert html.get_attribute("dir") == expected_dir, f"{visit.name} ({lang}): wrong dir"


def run_axe(page: Page, axe_source: str) -> list[dict[str, Any]]:
    """axe-core's violations for the page (WCAG 2.2 A and AA rule sets)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's CSP (no inline script) stays on.
        page.evaluate(axe_source)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    # page.evaluate has no timeout of its own: a run that never settles must fail, not hang.
    result = page.evaluate(
        """options => Promise.race([
            window.axe.run(document, options),
            new Promise((_, fail) => setTimeout(() => fail(new Error("axe-core timed out")),
                                                AXE_TIMEOUT_MS)),
        ])""".replace("AXE_TIMEOUT_MS", str(AXE_TIMEOUT_MS)),
        options,
    )
    return list(result["violations"])


def page_width(page: Page) -> int:
    """document.documentElement.scrollWidth after the next frame (or 1 s, whichever first)."""
    return int(
        page.evaluate(
            """() => new Promise(done => {
                const measure = () => done(document.documentElement.scrollWidth);
                requestAnimationFrame(measure);
                setTimeout(measure, 1000);
            })"""
        )
    )


def zoom_text(page: Page, percent: int) -> None:
    """Text size as a browser's text-only zoom sets it: the root font size (the CSS is in rem)."""
    page.evaluate(f"document.documentElement.style.fontSize = '{percent}%'")


def clipped_text(page: Page) -> list[str]:
    """Elements whose own text no longer fits and is cut off (overflow hidden or clip)."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll("body *")].filter(el => {
                const style = getComputedStyle(el);
                const cuts = ["hidden", "clip"];
                const text = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                if (!text || el.closest(".visually-hidden, .skip-link")) return false;
                return (cuts.includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
                    || (cuts.includes(style.overflowY) && el.scrollHeight > el.clientHeight + 1);
            }).map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                         + " " + el.textContent.trim().slice(0, 40))"""
        )
    )


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']} "
            f"[{violation.get('helpUrl', '')}]"
        )
        for node in violation["nodes"][:10]:
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    at {target}: {node.get('html', '')[:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    ... and {len(violation['nodes']) - 10} more nodes")
    return "\n".join(lines)
