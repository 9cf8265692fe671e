"""Database faults give a clear error page and lose nothing (the fast, deterministic cases).

- SQLite read-only (``PRAGMA query_only``, what a read-only disk does to writes);
- SQLite full (``PRAGMA max_page_count`` at the current size: "database or disk is full");
- the database unreachable (a server that refuses connections).

benchmarks/faults.py does the same against `consent serve --workers 2` with a real
read-only and full tmpfs, a PostgreSQL stop/start and a SIGKILLed worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import Engine

from consent import i18n
from consent.access_codes.models import Purpose
from consent.app import create_app
from consent.audit.service import verify
from consent.db import make_engine, new_session
from consent.proposals.models import Ballot, BallotEvent
from consent.settings import Settings
from tests.conftest import Client
from tests.security.sec_world import CorpWorld, build, code, freeze_rent_reduction_day, token

DOWN_H1 = "De website werkt nu even niet"


def h1(response: Any) -> str:
    found = BeautifulSoup(response.text, "html.parser").find("h1")
    return found.get_text(strip=True) if found else ""


@pytest.fixture
def world(engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CorpWorld:
    freeze_rent_reduction_day(monkeypatch)
    return build(engine, settings, "fault")


def counts(engine: Engine) -> tuple[int, int]:
    with new_session(engine) as session:
        ballots = session.exec(select(func.count()).select_from(Ballot)).one()[0]
        events = session.exec(select(func.count()).select_from(BallotEvent)).one()[0]
    return int(ballots), int(events)


def chain_intact(engine: Engine) -> bool:
    with new_session(engine) as session:
        return verify(session).first_broken_id is None


@pytest.fixture
def faulty(database_url: str) -> Iterator[dict[str, Engine]]:
    """Engines on the same SQLite file that cannot write: read-only, and full."""
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite file faults")
    read_only, full = make_engine(database_url), make_engine(database_url)

    def query_only(connection: Any, _record: Any) -> None:
        connection.execute("PRAGMA query_only = ON")

    def no_more_pages(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("VACUUM")  # no free pages left from emptied tables: full is full
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages}")
        cursor.close()

    event.listen(read_only, "connect", query_only)
    event.listen(full, "connect", no_more_pages)
    yield {"read-only": read_only, "full": full}
    read_only.dispose()
    full.dispose()


def tenant(app: Any, engine: Engine, settings: Settings, w: CorpWorld) -> Client:
    """A tenant who entered a proposal code while the database still worked, now on `app`."""
    with Client(create_app(settings, engine=engine)) as working:
        page = working.get("/")
        field = BeautifulSoup(page.text, "html.parser").find("input", attrs={"name": "csrf_token"})
        assert field is not None
        entered = working.post("/code", data={"code": code(engine, settings, w, Purpose.PROPOSAL),
                                              "csrf_token": field["value"]}, follow_redirects=False)  # fmt: skip
        assert entered.status_code == 303
        cookie = working.cookies.get("consent_session")
    browser = Client(app)
    browser.__enter__()
    browser.cookies.set("consent_session", cookie or "")
    browser.cookies.set(i18n.COOKIE, "nl")  # the error pages in Dutch
    browser._csrf = str(field["value"])
    return browser


@pytest.mark.parametrize("fault", ["read-only", "full"])
def test_a_sqlite_file_that_cannot_be_written_gives_a_clear_503_and_loses_nothing(
    faulty: dict[str, Engine], engine: Engine, settings: Settings, world: CorpWorld, fault: str
) -> None:
    broken = create_app(settings, engine=faulty[fault])
    browser = tenant(broken, engine, settings, world)
    before = counts(engine)
    # Reading still works: the tenant sees the proposal.
    assert browser.get(f"/voorstel/{world.proposal_id}").status_code == 200
    # Writing gives the clear "not available" page, and nothing half-written.
    comment = "x" * 2000  # needs new pages, so the full database cannot take it
    statuses = []
    for n in range(30):
        response = browser.submit(f"/voorstel/{world.proposal_id}/stem",
                                  {"choice": "agree" if n % 2 else "disagree", "comment": comment})  # fmt: skip
        statuses.append(response.status_code)
        if response.status_code == 503:
            assert h1(response) == DOWN_H1
            assert "niet half bewaard" in response.text
            break
    assert statuses[-1] == 503, statuses
    accepted = statuses.count(303)  # (a full database may take a vote or two first)
    after = counts(engine)
    assert after[1] == before[1] + accepted  # every vote with a receipt is there, no other
    assert after[0] in (before[0], before[0] + 1)
    assert chain_intact(engine)
    if fault == "read-only":  # the API says the same in JSON (a full file may take this one)
        api = browser.post(f"/api/v1/proposals/{world.proposal_id}/close",
                           headers=token(engine, settings, world.admin_email))  # fmt: skip
        assert api.status_code == 503
        assert api.json() == {"error": "The service is not available right now"}
    browser.__exit__(None, None, None)


def test_an_unreachable_database_gives_a_clear_503(
    engine: Engine, settings: Settings, world: CorpWorld
) -> None:
    unreachable = make_engine("postgresql+psycopg://postgres@127.0.0.1:9/nowhere")
    broken = create_app(settings, engine=unreachable)
    browser = tenant(broken, engine, settings, world)
    headers = token(engine, settings, world.admin_email)
    try:
        for method, url in (("GET", f"/voorstel/{world.proposal_id}"),
                            ("POST", f"/voorstel/{world.proposal_id}/stem")):  # fmt: skip
            data = {"choice": "agree", "csrf_token": browser.csrf()} if method == "POST" else None
            response = browser.request(method, url, data=data, follow_redirects=False)
            assert response.status_code == 503, url
            assert h1(response) == DOWN_H1
            assert response.headers["content-security-policy"]
        api = browser.get(f"/api/v1/proposals/{world.proposal_id}/tally", headers=headers)
        assert api.status_code == 503
        assert api.json() == {"error": "The service is not available right now"}
        # Pages without the database still work: the start page.
        assert browser.get("/").status_code == 200
    finally:
        browser.__exit__(None, None, None)
        unreachable.dispose()


def test_when_the_database_drops_the_connections_one_request_fails_and_the_next_works(
    engine: Engine, settings: Settings, world: CorpWorld
) -> None:
    """What a PostgreSQL restart does to the pool: connections are not pinged before use,
    so the first request to meet a dead one gets the 503 page (nothing half-written), and
    the next is served on a new connection."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL connections")
    own = make_engine(f"{engine.url.render_as_string(hide_password=False)}?application_name=faulty")
    browser = tenant(create_app(settings, engine=own), engine, settings, world)
    page = f"/voorstel/{world.proposal_id}"

    def drop_connections() -> None:
        with engine.connect() as connection:
            ended = connection.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = 'faulty'")).scalar_one()  # fmt: skip
        assert ended >= 1

    try:
        assert browser.get(page).status_code == 200
        drop_connections()
        failed = browser.get(page)
        assert failed.status_code == 503 and h1(failed) == DOWN_H1
        assert browser.get(page).status_code == 200
        drop_connections()
        before = counts(engine)
        assert browser.submit(f"{page}/stem", {"choice": "agree"}).status_code == 503
        assert counts(engine) == before
        assert browser.submit(f"{page}/stem", {"choice": "agree"}).status_code == 303
        assert counts(engine)[1] == before[1] + 1 and chain_intact(engine)
    finally:
        browser.__exit__(None, None, None)
        own.dispose()
