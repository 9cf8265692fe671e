"""Browser visits (axe, reflow, CSP) for asking a code by address."""

from __future__ import annotations

from tests.browser.visits import Visit, submit

VISITS = [
    Visit("code-request", "code_request", expect="main form", tenant_page=True),
    Visit(
        "code-request-errors",
        "code_request",
        act=lambda page, seed: submit(page, {"#postcode": "12"}),
        expect=".error-summary a[href='#postcode']",
        tenant_page=True,
    ),
    Visit("code-request-sent", "code_request_sent", expect="main .notice", tenant_page=True),
]
