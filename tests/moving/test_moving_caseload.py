"""Brokers work the caseload: list, status steps, assignment, next action, notes, linking."""

from datetime import timedelta

import pytest
from sqlmodel import select

from consent.audit.models import AuditEvent
from consent.db import new_session
from consent.moving.models import SignupNote
from consent.moving.service import today
from tests.factories import staff
from tests.moving.moving_helpers import errors_of, make_signup, office, page, sign_in, signup_row


def _case(client, signup_id):
    return page(client.get(f"/medewerkers/verhuizen/{signup_id}"))


def _actions(engine, signup_id):
    with new_session(engine) as session:
        events = session.exec(
            select(AuditEvent).where(
                AuditEvent.object_type == "moving_signup", AuditEvent.object_id == str(signup_id)
            )
        ).all()
        return [e.action for e in events]


def test_caseload_lists_the_corporations_sign_ups(client, engine):
    o = office(engine)
    cid = o.world.corporation.id
    mine = make_signup(engine, cid, broker_id=o.broker.id, contact_name="Mijn Huurder")
    make_signup(engine, cid, contact_name="Nog Niemand")
    other = office(engine, "other")
    make_signup(engine, other.world.corporation.id, contact_name="Andere Corporatie")
    sign_in(client, o.broker.email)
    html = page(client.get("/medewerkers/verhuizen"))
    names = [
        tr.find_all("td")[1].get_text(strip=True) for tr in html.find("table").tbody.find_all("tr")
    ]
    assert sorted(names) == ["Mijn Huurder", "Nog Niemand"]
    assert html.find("table").caption.get_text(strip=True) == "2 aanmeldingen"
    html = page(client.get("/medewerkers/verhuizen?view=mine"))
    assert [a.get_text() for a in html.select("tbody td a")] == [str(mine.id)]
    html = page(client.get("/medewerkers/verhuizen?view=unassigned"))
    assert len(html.select("tbody tr")) == 1
    html = page(client.get("/medewerkers/verhuizen?status=bogus&view=nonsense"))  # bad filters: all
    assert len(html.select("tbody tr")) == 2
    html = page(client.get("/medewerkers/verhuizen?status=moved"))
    assert html.find("table") is None


@pytest.mark.parametrize("role", ["case_worker", "project_leader", "committee"])
def test_other_roles_cannot_open_the_caseload(client, engine, role):
    o = office(engine)
    signup = make_signup(engine, o.world.corporation.id)
    user = o.case_worker if role == "case_worker" else staff(engine, "acme", role)
    sign_in(client, user.email)
    for url in ("/medewerkers/verhuizen", f"/medewerkers/verhuizen/{signup.id}",
                "/medewerkers/verhuizen/aanmeldingen.csv", "/medewerkers/verhuizen/code"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Aanmelding" not in page(response).h1.get_text()
    response = client.submit(f"/medewerkers/verhuizen/{signup.id}/status", {"status": "contacted"})
    assert response.status_code == 403 and signup_row(engine, signup.id).status == "new"


def test_signed_out_visitors_go_to_sign_in(client, engine):
    o = office(engine)
    signup = make_signup(engine, o.world.corporation.id)
    response = client.get(f"/medewerkers/verhuizen/{signup.id}", follow_redirects=False)
    assert response.status_code == 303 and "/inloggen" in response.headers["location"]


def test_another_corporations_case_is_not_found(client, engine):
    o = office(engine)
    other = office(engine, "other")
    foreign = make_signup(engine, other.world.corporation.id)
    sign_in(client, o.admin.email)
    assert client.get(f"/medewerkers/verhuizen/{foreign.id}").status_code == 404
    assert client.get("/medewerkers/verhuizen/99999").status_code == 404
    assert client.get("/medewerkers/verhuizen/181436258071188014821801984").status_code == 404
    response = client.submit(f"/medewerkers/verhuizen/{foreign.id}/status", {"status": "contacted"})
    assert response.status_code == 404 and signup_row(engine, foreign.id).status == "new"
    response = client.submit(
        f"/medewerkers/verhuizen/{foreign.id}/makelaar", {"broker_id": str(o.broker.id)}
    )
    assert response.status_code == 404 and signup_row(engine, foreign.id).broker_id is None


def test_status_walks_through_the_steps_to_moved(client, engine):
    o = office(engine)
    signup = make_signup(engine, o.world.corporation.id, broker_id=o.broker.id)
    sign_in(client, o.broker.email)
    url = f"/medewerkers/verhuizen/{signup.id}/status"
    for step in ("contacted", "intake_done", "searching", "offer_made", "searching", "offer_made"):
        response = client.submit(url, {"status": step})
        assert response.status_code == 303, step
        assert signup_row(engine, signup.id).status == step
    assert client.submit(url, {"status": "moved", "moved_on": ""}).status_code == 303
    row = signup_row(engine, signup.id)
    assert row.status == "moved" and row.moved_on == today()
    html = _case(client, signup.id)
    assert html.find("select", id="status") is None  # final: no more steps
    assert _actions(engine, signup.id).count("moving.status_changed") == 7


def test_forbidden_step_and_missing_reason_show_errors(client, engine):
    o = office(engine)
    signup = make_signup(engine, o.world.corporation.id)
    sign_in(client, o.broker.email)
    url = f"/medewerkers/verhuizen/{signup.id}/status"
    response = client.submit(url, {"status": "moved"})
    assert response.status_code == 400 and errors_of(response) == ["status"]
    response = client.submit(url, {"status": "stopped", "stop_reason": " "})
    assert response.status_code == 400 and errors_of(response) == ["stop_reason"]
    assert (
        page(response).find("select", id="status").find("option", selected=True)["value"]
        == "stopped"
    )
    assert signup_row(engine, signup.id).status == "new"
    response = client.submit(url, {"status": "stopped", "stop_reason": "Wil toch blijven"})
    row = signup_row(engine, signup.id)
    assert response.status_code == 303 and (row.status, row.stop_reason) == (
        "stopped",
        "Wil toch blijven",
    )


@pytest.mark.parametrize("moved_on", ["gisteren", "2000-01-01", "FUTURE"])
def test_move_date_must_be_a_real_date_after_sign_up(client, engine, moved_on):
    o = office(engine)
    signup = make_signup(engine, o.world.corporation.id, status="offer_made")
    sign_in(client, o.broker.email)
    if moved_on == "FUTURE":
        moved_on = (today() + timedelta(days=3)).isoformat()
    response = client.submit(
        f"/medewerkers/verhuizen/{signup.id}/status", {"status": "moved", "moved_on": moved_on}
    )
    assert response.status_code == 400 and errors_of(response) == ["moved_on"]
    assert signup_row(engine, signup.id).status == "offer_made"


def test_assign_to_a_broker_of_the_same_corporation(client, engine):
    o = office(engine)
    signup = make_signup(engine, o.world.corporation.id)
    other = office(engine, "other")
    sign_in(client, o.broker.email)
    url = f"/medewerkers/verhuizen/{signup.id}/makelaar"
    options = [
        opt["value"]
        for opt in _case(client, signup.id).find("select", id="broker_id").find_all("option")
    ]
    assert sorted(options) == sorted(["", str(o.broker.id), str(o.other_broker.id)])
    assert client.submit(url, {"broker_id": str(o.other_broker.id)}).status_code == 303
    assert signup_row(engine, signup.id).broker_id == o.other_broker.id
    for bad in (str(other.broker.id), str(o.admin.id), str(o.case_worker.id), "abc", "99999"):
        response = client.submit(url, {"broker_id": bad})
        assert response.status_code == 400 and errors_of(response) == ["broker_id"], bad
    assert signup_row(engine, signup.id).broker_id == o.other_broker.id
    assert client.submit(url, {"broker_id": ""}).status_code == 303
    assert signup_row(engine, signup.id).broker_id is None
    assert _actions(engine, signup.id).count("moving.assigned") == 2


def test_next_action_and_notes(client, engine):
    o = office(engine)
    signup = make_signup(engine, o.world.corporation.id, broker_id=o.broker.id)
    sign_in(client, o.broker.email)
    base = f"/medewerkers/verhuizen/{signup.id}"
    assert (
        client.submit(
            base + "/actie", {"next_action_on": "15-03-2031", "next_action_note": "Bellen"}
        ).status_code
        == 303
    )
    row = signup_row(engine, signup.id)
    assert (row.next_action_on.isoformat(), row.next_action_note) == ("2031-03-15", "Bellen")
    response = client.submit(base + "/actie", {"next_action_on": "morgen"})
    assert response.status_code == 400 and errors_of(response) == ["next_action_on"]
    assert page(response).find("input", id="next_action_on")["value"] == "morgen"
    response = client.submit(base + "/notitie", {"body": ""})
    assert response.status_code == 400 and errors_of(response) == ["body"]
    assert client.submit(base + "/notitie", {"body": "Eerste gesprek gehad"}).status_code == 303
    html = _case(client, signup.id)
    assert "Eerste gesprek gehad" in html.get_text()
    assert html.find("input", id="next_action_on")["value"] == "2031-03-15"
    with new_session(engine) as session:
        assert len(session.exec(select(SignupNote)).all()) == 1
    assert {"moving.next_action_set", "moving.note_added"} <= set(_actions(engine, signup.id))
    history = [
        li.get_text(" ", strip=True)
        for li in html.find("h2", string="Geschiedenis").find_next("ul").find_all("li")
    ]
    assert any("Notitie geschreven" in item for item in history)


def test_link_a_sign_up_without_code_to_a_tenancy(client, engine):
    o = office(engine)
    other = office(engine, "other")
    signup = make_signup(engine, o.world.corporation.id)
    sign_in(client, o.broker.email)
    url = f"/medewerkers/verhuizen/{signup.id}/huurcontract"
    assert _case(client, signup.id).find("input", id="tenancy_code") is not None
    for bad in ("", "BESTAAT-NIET", other.tenancies[0].code):
        response = client.submit(url, {"tenancy_code": bad})
        assert response.status_code == 400 and errors_of(response) == ["tenancy_code"]
    assert signup_row(engine, signup.id).tenancy_id is None
    assert client.submit(url, {"tenancy_code": o.tenancies[2].code}).status_code == 303
    assert signup_row(engine, signup.id).tenancy_id == o.tenancies[2].id
    html = _case(client, signup.id)
    assert html.find("input", id="tenancy_code") is None
    assert o.tenancies[2].code in html.find("dl").get_text()
    assert "moving.tenancy_linked" in _actions(engine, signup.id)


def test_broker_issues_a_moving_code_that_opens_the_sign_up(client, engine, make_client):
    o = office(engine)
    sign_in(client, o.broker.email)
    response = client.submit("/medewerkers/verhuizen/code", {"tenancy_code": "BESTAAT-NIET"})
    assert response.status_code == 400 and errors_of(response) == ["tenancy_code"]
    response = client.submit("/medewerkers/verhuizen/code", {"tenancy_code": o.tenancies[1].code})
    code = page(response).find("p", class_="code").get_text(strip=True)
    tenant = make_client()
    landing = tenant.submit("/code", {"code": code})
    assert landing.headers["location"].endswith(f"/verhuizen/{o.tenancies[1].id}")
    assert (
        page(tenant.get(landing.headers["location"])).h1.get_text(strip=True)
        == "Aanmelden voor hulp bij verhuizen"
    )


def test_staff_home_links_to_the_caseload_for_brokers(client, engine):
    o = office(engine)
    sign_in(client, o.broker.email)
    links = [a["href"] for a in page(client.get("/medewerkers")).select("main a")]
    assert any(href.endswith("/medewerkers/verhuizen") for href in links)
