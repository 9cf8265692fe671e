"""Browser suite: Debian's chromium (never a downloaded browser) driven by Playwright, against a
real uvicorn server on a free loopback port with its own fresh SQLite database.

Without /usr/bin/chromium (or Playwright) the browser tests are skipped with a loud banner;
with CONSENT_REQUIRE_BROWSER=1 (set by .ci/run) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from consent.db import make_engine
from consent.migrate import upgrade
from consent.settings import PROJECT_ROOT, Settings
from tests.browser.seed import Seed, seed

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_VERSION = "4.14.1"
AXE_FILE = Path(__file__).parent / "vendor" / f"axe-{AXE_VERSION}.min.js"
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
SECRET = "browser-suite-secret-key-not-for-production"
REQUIRE = os.environ.get("CONSENT_REQUIRE_BROWSER") == "1"
_skipped: list[str] = []


def missing_browser() -> str:
    """Why the browser suite cannot run here, or '' when it can."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (Debian: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is missing (pip install -e '.[test]')"
    return ""


def _skip_or_fail() -> None:
    reason = missing_browser()
    if not reason:
        return
    message = f"BROWSER TESTS NOT RUN: {reason}"
    if REQUIRE:
        pytest.fail(f"{message} (CONSENT_REQUIRE_BROWSER=1)", pytrace=False)
    _skipped.append(message)
    pytest.skip(message)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _skipped:
        line = "!" * 78
        terminalreporter.write_line(line, red=True, bold=True)
        terminalreporter.write_line(_skipped[0], red=True, bold=True)
        terminalreporter.write_line(
            "The accessibility (axe-core) and browser checks were SKIPPED. "
            "CI (CONSENT_REQUIRE_BROWSER=1) fails instead.",
            red=True,
            bold=True,
        )
        terminalreporter.write_line(line, red=True, bold=True)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    seed: Seed

    def url(self, path: str) -> str:
        return self.base_url + path


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the test server stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"the test server did not answer within 30 s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """uvicorn serving consent.asgi:app on a free loopback port, on a fresh SQLite database."""
    _skip_or_fail()
    folder = tmp_path_factory.mktemp("browser")
    database_url = f"sqlite:///{folder / 'consent.db'}"
    settings = Settings(database_url=database_url, secret_key=SECRET, upload_dir=folder / "up")
    engine = make_engine(database_url)
    upgrade(engine)
    data = seed(engine, settings)
    engine.dispose()
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "CONSENT_DATABASE_URL": database_url,
        "CONSENT_SECRET_KEY": SECRET,
        "CONSENT_UPLOAD_DIR": str(folder / "up"),
        # The suite enters codes and passwords many times from one address.
        "CONSENT_LOGIN_ATTEMPTS": "100000",
        "CONSENT_CODE_ATTEMPTS_PER_CLIENT": "100000",
        "CONSENT_CODE_ATTEMPTS_PER_CODE": "100000",
    }
    env.pop("CONSENT_DEMO", None)
    log = folder / "server.log"
    command = [sys.executable, "-m", "uvicorn", "consent.asgi:app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - fixed command
            command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, base_url + "/", log)
        yield LiveServer(base_url, data)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _skip_or_fail()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """artifacts/screenshots/, emptied once per run so it holds only this run's pictures."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_FILE.read_text(encoding="utf-8")


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser profile (no cookies) per test."""
    opened = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="session")
def _signed_in_states() -> dict[str, Any]:
    return {}


@pytest.fixture
def context_as(browser: Any, live_server: LiveServer, _signed_in_states: dict[str, Any]):  # type: ignore[no-untyped-def]
    """context_as(who): a fresh profile, already signed in as `who` (anonymous, tenant, staff).

    Signing in happens once per kind of visitor per run, through the real forms; later
    contexts start from the saved cookies.
    """
    from tests.browser.driver import sign_in

    opened: list[Any] = []

    def factory(who: str, **options: Any) -> Any:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        if who not in _signed_in_states:
            fresh = browser.new_context()
            sign_in(fresh.new_page(), live_server, who, "nl")
            _signed_in_states[who] = fresh.storage_state()
            fresh.close()
        context = browser.new_context(storage_state=_signed_in_states[who], **options)
        opened.append(context)
        return context

    yield factory
    for context in opened:
        context.close()
