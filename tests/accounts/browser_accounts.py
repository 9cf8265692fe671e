"""Browser visits (axe, reflow, CSP) for the staff account page."""

from __future__ import annotations

from tests.browser.visits import STAFF, Visit, submit

VISITS = [
    Visit("staff-account", "staff_account", who=STAFF, expect="main form"),
    Visit(
        "staff-account-errors",
        "staff_account",
        who=STAFF,
        act=lambda page, seed: submit(page, {"#new_password": "een lang nieuw wachtwoord"}),
        expect=".error-summary a[href='#current_password']",
    ),
]
