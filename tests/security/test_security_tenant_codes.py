"""A personal code opens only its own tenancy, purpose and object; guessing codes is throttled."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from sqlalchemy.engine import Engine

from consent.access_codes.models import Purpose
from consent.db import new_session
from consent.housing.models import Tenancy
from consent.settings import Settings
from tests.factories import tenant_code
from tests.security.sec_checks import browser, changed_tables, form_for, snapshot, url_for
from tests.security.sec_routes import TENANT, AppRoute, of_kind
from tests.security.sec_world import CorpWorld, code

# The tenant's own pages that are not 200 in the fixtures' state.
OWN_NOT_200 = {
    "rent_reduction_letter": 404,  # only after a decision
    "rent_reduction_household": 303,  # the request was sent: the form steps lead to its status
    "rent_reduction_income": 303,
    "rent_reduction_submit": 303,
    "rent_reduction_evidence": 303,  # uploads only while the request is open or paused
}


def purpose_of(route: AppRoute) -> Purpose | None:
    if route.name.startswith(("tenant_proposal", "tenant_vote")):
        return Purpose.PROPOSAL
    if route.name.startswith("initiative"):
        return Purpose.INITIATIVE
    if route.name.startswith("rent_reduction"):
        return Purpose.RENT_REDUCTION
    if route.name.startswith("moving"):
        return Purpose.MOVING
    return None  # the tenant's start page: any code


def redeem(make_client: Any, value: str) -> Any:
    tenant = browser(make_client)
    response = tenant.submit("/code", {"code": value})
    assert response.status_code == 303, response.text
    tenant._csrf = None
    return tenant


def test_a_code_opens_only_its_own_purpose_and_object(
    app: Any, engine: Engine, settings: Settings, make_client: Any,
    corp_a: CorpWorld, corp_b: CorpWorld,
) -> None:  # fmt: skip
    routes = of_kind(app, TENANT)
    failures = []
    for purpose in Purpose:
        tenant = redeem(make_client, code(engine, settings, corp_a, purpose))
        for route in routes:  # its own corporation's pages (viewing a file is audited)
            if not route.readable:
                continue
            own = purpose_of(route) in (purpose, None)
            mine = tenant.get(url_for(route, corp_a), follow_redirects=False)
            expected = OWN_NOT_200.get(route.name, 200) if own else None
            if expected is not None and mine.status_code != expected:
                failures.append((purpose.value, route.name, "own", mine.status_code))
            if expected is None and mine.status_code not in (403, 404):
                failures.append((purpose.value, route.name, "other purpose", mine.status_code))
        before = snapshot(engine)
        for route in routes:  # the other corporation's objects: nothing read, nothing changed
            if route.readable:
                theirs = tenant.get(url_for(route, corp_b), follow_redirects=False)
                if route.params and theirs.status_code not in (403, 404):
                    failures.append((purpose.value, route.name, "B", theirs.status_code))
                if corp_b.marker in theirs.text:
                    failures.append((purpose.value, route.name, "B's data", theirs.status_code))
            for method in route.state_changing:
                response = tenant.request(
                    method, url_for(route, corp_b),
                    data=form_for(route) | {"csrf_token": tenant.csrf()}, follow_redirects=False,
                )  # fmt: skip
                if response.status_code not in (403, 404):
                    failures.append((purpose.value, route.name, method, response.status_code))
        assert changed_tables(before, snapshot(engine)) == [], purpose
    assert not failures


def test_a_code_opens_only_its_own_tenancy(
    app: Any, engine: Engine, settings: Settings, make_client: Any, corp_a: CorpWorld
) -> None:
    """A neighbour's rent-reduction code does not open this tenancy's request or files."""
    with new_session(engine) as session:
        neighbour = session.get(Tenancy, corp_a.tenancy_ids[4])
        assert neighbour is not None
    value = tenant_code(engine, settings, neighbour, Purpose.RENT_REDUCTION, neighbour.id)
    tenant = redeem(make_client, value)
    own_start = tenant.get(f"/huurverlaging/{neighbour.id}", follow_redirects=False)
    assert own_start.status_code == 200
    base = f"/huurverlaging/{corp_a.rr_tenancy_id}/aanvragen/{corp_a.rr_request_id}"
    for url in (base, f"{base}/bewijs/{corp_a.rr_file_id}", f"{base}/gegevens"):
        assert tenant.get(url, follow_redirects=False).status_code == 403, url
    # The neighbour's own tenancy in the path, the other household's request id after it.
    crossed = f"/huurverlaging/{neighbour.id}/aanvragen/{corp_a.rr_request_id}"
    for url in (crossed, f"{crossed}/bewijs/{corp_a.rr_file_id}", f"{crossed}/gegevens"):
        response = tenant.get(url, follow_redirects=False)
        assert response.status_code == 404, url
        assert "Tenant 3" not in response.text
    # Nor a neighbour's moving sign-up.
    moving = tenant.get(f"/verhuizen/{corp_a.signup_tenancy_id}", follow_redirects=False)
    assert moving.status_code == 403


def test_code_guessing_is_throttled(
    app: Any, engine: Engine, settings: Settings, make_client: Any, corp_a: CorpWorld
) -> None:
    """10 wrong codes per client address per 15 minutes; then even a right code waits."""
    tenant = browser(make_client)
    right = code(engine, settings, corp_a, Purpose.PROPOSAL)
    for attempt in range(settings.code_attempts_per_client):
        response = tenant.submit("/code", {"code": f"ABCDE-FGHJK-{attempt + 22222}"})
        assert response.status_code == 400, attempt
    blocked = tenant.submit("/code", {"code": right})
    assert blocked.status_code == 429
    message = BeautifulSoup(blocked.text, "html.parser").select_one(".error-summary")
    assert message is not None and "Wacht 15 minuten" in message.get_text()


def test_one_code_is_tried_at_most_five_times(
    app: Any, engine: Engine, settings: Settings, make_client: Any, corp_a: CorpWorld
) -> None:
    """Per entered code: 5 attempts per window, whatever the client address."""
    wrong = "ABCDE-FGHJK-MNPQR"
    for attempt in range(settings.code_attempts_per_code):
        assert browser(make_client).submit("/code", {"code": wrong}).status_code == 400, attempt
    assert browser(make_client).submit("/code", {"code": wrong}).status_code == 429
