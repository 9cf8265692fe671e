"""Facts for the accessibility statement (toegankelijkheidsverklaring).

Update STATEMENT_DATE and the lists when the tests or the known limits change; the page
shows them in the structure of the Dutch government's model statement.
"""

from __future__ import annotations

from datetime import date

# When this statement was last drawn up (opgesteld) and checked against the test suite.
STATEMENT_DATE = date(2026, 11, 28)

# The languages the browser suite (tests/browser) checks every page in.
TESTED_LANGUAGES = ("nl", "en", "ar")
