"""Browsers from different addresses, for the per-client limits."""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup
from starlette.testclient import TestClient

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser(TestClient):
    """A client at its own address that fetches a fresh CSRF token for every form."""

    def form(self, url: str, data: dict[str, str]) -> Any:
        token = CSRF.search(self.get("/").text)
        assert token is not None
        return self.post(url, data={**data, "csrf_token": token.group(1)}, follow_redirects=False)


def browser(app: Any, host: str = "10.0.0.1") -> Browser:
    return Browser(app, base_url="http://testserver", client=(host, 50000))


def field_error(response: Any, name: str) -> str:
    """The error message shown above the field `name`."""
    page = BeautifulSoup(response.text, "html.parser")
    message = page.find(id=f"{name}-error")
    assert message is not None, response.text
    return message.get_text(" ", strip=True)
