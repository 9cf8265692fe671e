"""Case work: access per role and corporation, queue, assignment, questions, decision."""

from __future__ import annotations

import datetime as dt
import json

from sqlmodel import select

from consent.audit.models import AuditEvent
from consent.db import new_session
from consent.i18n import format_date, use_locale
from consent.outbox.models import OutboxMessage
from consent.rent_reductions.models import ReductionPause
from tests.factories import sign_in, staff, tenancies
from tests.rent_reductions.rr_support import (
    PDF,
    enter,
    load,
    refresh_csrf,
    rr_code,
    sent_request,
    soup,
    world_with_scheme,
)

QUEUE = "/medewerkers/huurverlaging"


def setup_case(client, engine, settings, role: str = "case_worker"):  # type: ignore[no-untyped-def]
    world = world_with_scheme(engine)
    tenancy = tenancies(engine, world.corporation.id)[0]
    req = sent_request(engine, settings, tenancy, files=[("jan.pdf", PDF)])
    user = staff(engine, "acme", role)
    sign_in(client, user.email)
    refresh_csrf(client)
    return world, tenancy, req, user


def test_queue_shows_due_dates_and_links(client, engine, settings, in_2024):
    _world, tenancy, req, _user = setup_case(client, engine, settings)
    page = soup(client.get(QUEUE))
    assert page.h1.get_text(strip=True) == "Verzoeken om huurverlaging"
    row = page.select_one("tbody tr")
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[0] == req.reference and cells[1] == tenancy.code
    assert cells[3] == "Ontvangen, wordt bekeken"
    with use_locale("nl"):
        assert cells[6] == format_date(req.submitted_at + dt.timedelta(days=42), "short")
    assert row.find("a")["href"].endswith(f"{QUEUE}/{req.id}")
    assert soup(client.get(QUEUE, params={"filter": "decided"})).select("tbody tr") == []


def test_access_per_role_and_corporation(client, make_client, engine, settings, in_2024):
    _world, _tenancy, req, _user = setup_case(client, engine, settings)
    assert (
        make_client().get(f"{QUEUE}/{req.id}", follow_redirects=False).status_code == 303
    )  # not signed in
    world_with_scheme(engine, "other", homes=1)
    foreign = make_client()
    sign_in(foreign, staff(engine, "other", "case_worker").email)
    refresh_csrf(foreign)
    response = foreign.get(f"{QUEUE}/{req.id}")
    assert response.status_code == 404 and soup(response).h1 is not None
    assert soup(foreign.get(QUEUE)).select("tbody tr") == []
    assert foreign.submit(f"{QUEUE}/{req.id}/besluit", {"decision": "approve"}).status_code == 404
    leader = make_client()
    sign_in(leader, staff(engine, "acme", "project_leader").email)
    assert leader.get(QUEUE).status_code == 403
    assert leader.get(f"{QUEUE}/{req.id}").status_code == 403
    admin = make_client()
    sign_in(admin, staff(engine, "acme", "admin").email)
    assert (
        soup(admin.get(f"{QUEUE}/{req.id}")).h1.get_text(strip=True) == f"Verzoek {req.reference}"
    )
    assert client.get(f"{QUEUE}/999999").status_code == 404


def test_case_page_assign_and_checklist(client, engine, settings, in_2024):
    _world, _tenancy, req, user = setup_case(client, engine, settings)
    page = soup(client.get(f"{QUEUE}/{req.id}"))
    assert page.find("legend", string="Controlelijst bewijsstukken") is not None
    boxes = [i["value"] for i in page.select("input[name=evidence]")]
    assert boxes == ["household_statement", "income_month_1", "income_month_6", "profit_estimate"]
    assert "U komt waarschijnlijk in aanmerking" in page.get_text()
    response = client.submit(f"{QUEUE}/{req.id}/toewijzen", {"assignee": str(user.id)})
    assert response.status_code == 303
    client.submit(f"{QUEUE}/{req.id}/controlelijst", {"evidence": ["income_month_1", "nonsense"]})
    fresh = load(engine, req.id)
    assert fresh.assigned_to == user.id and json.loads(fresh.checklist) == ["income_month_1"]
    mine = soup(client.get(QUEUE, params={"filter": "mine"}))
    assert mine.select_one("tbody tr td").get_text(strip=True) == req.reference
    refused = client.submit(f"{QUEUE}/{req.id}/toewijzen", {"assignee": "999999"})
    assert refused.status_code == 400
    assert soup(refused).select_one(".error-summary a")["href"] == "#assignee"


def test_evidence_download_by_case_worker_is_audited(client, engine, settings, in_2024):
    _world, _tenancy, req, user = setup_case(client, engine, settings)
    link = soup(client.get(f"{QUEUE}/{req.id}")).find("a", string="jan.pdf")["href"]
    response = client.get(link)
    assert response.content == PDF
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"
    with new_session(engine) as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "rent_reduction.evidence_viewed")
        ).one()
    assert event.actor == f"staff:{user.id}" and event.object_id == str(req.id)


def test_more_information_pauses_the_clock(client, make_client, engine, settings, in_2024):
    _world, tenancy, req, _user = setup_case(client, engine, settings)
    empty = client.submit(f"{QUEUE}/{req.id}/informatie", {"question": ""})
    assert empty.status_code == 400
    assert soup(empty).select_one(".error-summary a")["href"] == "#question"
    client.submit(f"{QUEUE}/{req.id}/informatie", {"question": "Stuur de loonstrook van juni."})
    page = soup(client.get(f"{QUEUE}/{req.id}"))
    assert "Klok staat stil: wacht op informatie" in page.get_text()
    assert "Klok staat stil" in soup(client.get(QUEUE)).select_one("tbody tr").get_text()
    with new_session(engine) as session:
        mail = session.exec(
            select(OutboxMessage).where(OutboxMessage.template == "rent_reduction_more_info")
        ).one()
    assert json.loads(mail.context)["question"] == "Stuur de loonstrook van juni."
    assert mail.recipient == tenancy.email and mail.language == tenancy.language
    # The tenant adds a document and answers: the clock runs again.
    tenant = make_client()
    enter(tenant, rr_code(engine, settings, tenancy))
    status = f"/huurverlaging/{tenancy.id}/aanvragen/{req.id}"
    page = soup(tenant.get(status))
    assert "Stuur de loonstrook van juni." in page.get_text()
    assert "De termijn staat stil" in page.get_text()
    added = tenant.post(f"{status}/bewijs", data={"csrf_token": tenant.csrf(), "kind": "income_month_6"},
                        files={"file": ("juni.pdf", PDF, "application/pdf")}, follow_redirects=False)  # fmt: skip
    assert added.status_code == 303
    assert tenant.submit(f"{status}/antwoord", {"answer": "Zie bijlage"}).status_code == 303
    with new_session(engine) as session:
        pause = session.exec(select(ReductionPause)).one()
    assert pause.ended_at is not None and pause.answer == "Zie bijlage"
    fresh = load(engine, req.id)
    assert fresh.status == "submitted"
    page = soup(client.get(f"{QUEUE}/{req.id}"))
    assert "Klok staat stil" not in page.get_text()
    assert page.find("a", string="juni.pdf") is not None


def test_resume_by_case_worker(client, engine, settings, in_2024):
    _world, _tenancy, req, _user = setup_case(client, engine, settings)
    assert client.submit(f"{QUEUE}/{req.id}/hervatten").status_code == 400  # not waiting
    client.submit(f"{QUEUE}/{req.id}/informatie", {"question": "Graag de IB60."})
    assert client.submit(f"{QUEUE}/{req.id}/hervatten").status_code == 303
    assert load(engine, req.id).status == "submitted"


def test_approve_computes_new_rent_and_start_date(client, make_client, engine, settings, in_2024):
    _world, tenancy, req, user = setup_case(client, engine, settings)
    response = client.submit(f"{QUEUE}/{req.id}/besluit", {"decision": "approve"})
    assert response.status_code == 303
    fresh = load(engine, req.id)
    assert fresh.status == "approved" and fresh.decided_by == user.id
    assert (fresh.old_rent_cents, fresh.new_rent_cents) == (60000, 57791)
    assert fresh.submitted_on == in_2024 == dt.date(2024, 6, 3)
    assert fresh.start_date == dt.date(2024, 7, 1)  # the first of the next month
    page = soup(client.get(f"{QUEUE}/{req.id}"))
    assert page.find("form", attrs={"action": f"http://testserver{QUEUE}/{req.id}/besluit"}) is None
    again = client.submit(f"{QUEUE}/{req.id}/besluit", {"decision": "reject", "reason": "x"})
    assert again.status_code == 400
    tenant = make_client()
    enter(tenant, rr_code(engine, settings, tenancy))
    status = soup(tenant.get(f"/huurverlaging/{tenancy.id}/aanvragen/{req.id}")).get_text(
        " ", strip=True
    )
    assert "Uw huur gaat omlaag naar €\xa0577,91 per maand" in status
    with new_session(engine) as session:
        templates = session.exec(select(OutboxMessage.template)).all()
    assert "rent_reduction_decided" in templates


def test_reject_needs_a_reason_and_explains_the_huurcommissie(client, make_client, engine, settings,
                                                              in_2024):  # fmt: skip
    _world, tenancy, req, _user = setup_case(client, engine, settings)
    response = client.submit(f"{QUEUE}/{req.id}/besluit", {"decision": "reject", "reason": " "})
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one(".error-summary a")["href"] == "#reason"
    assert page.find("input", attrs={"name": "decision", "value": "reject"}).has_attr("checked")
    assert client.submit(f"{QUEUE}/{req.id}/besluit", {"decision": ""}).status_code == 400
    assert load(engine, req.id).status == "submitted"
    client.submit(f"{QUEUE}/{req.id}/besluit", {"decision": "reject", "reason": "Inkomen te hoog."})
    fresh = load(engine, req.id)
    assert fresh.status == "rejected" and fresh.reject_reason == "Inkomen te hoog."
    tenant = make_client()
    enter(tenant, rr_code(engine, settings, tenancy))
    text = soup(tenant.get(f"/huurverlaging/{tenancy.id}/aanvragen/{req.id}")).get_text(
        " ", strip=True
    )
    assert "Inkomen te hoog." in text and "Huurcommissie" in text


def test_unknown_action_is_404(client, engine, settings, in_2024):
    _world, _tenancy, req, _user = setup_case(client, engine, settings)
    assert client.submit(f"{QUEUE}/{req.id}/verwijderen").status_code == 404


def test_tenant_cannot_remove_evidence_once_sent(client, make_client, engine, settings, in_2024):
    _world, tenancy, req, _user = setup_case(client, engine, settings)
    client.submit(f"{QUEUE}/{req.id}/informatie", {"question": "Graag de IB60."})
    tenant = make_client()
    enter(tenant, rr_code(engine, settings, tenancy))
    path = f"/huurverlaging/{tenancy.id}/aanvragen/{req.id}/bewijs"
    page = soup(tenant.get(path))
    assert page.find("a", string="jan.pdf") is not None
    assert page.select("tbody form") == []
    file_id = page.find("a", string="jan.pdf")["href"].rsplit("/", 1)[1]
    assert tenant.submit(f"{path}/{file_id}/verwijderen").status_code == 409
    assert tenant.get(f"{path}/{file_id}").content == PDF


def test_every_queued_email_renders(client, engine, settings, in_2024):
    """Received, question and decision emails: subject line, blank line, Dutch body."""
    from consent.outbox.render import render_email
    from consent.rent_reductions.letters import environment

    _world, _tenancy, req, _user = setup_case(client, engine, settings)
    client.submit(f"{QUEUE}/{req.id}/informatie", {"question": "Graag de IB60."})
    client.submit(f"{QUEUE}/{req.id}/besluit", {"decision": "approve"})
    with new_session(engine) as session:
        queued = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [m.template for m in queued] == [
        "rent_reduction_received",
        "rent_reduction_more_info",
        "rent_reduction_decided",
    ]
    for message in queued:
        message.language = "nl"
        subject, body = render_email(environment(), message)
        assert req.reference in subject
        assert "Met vriendelijke groet," in body
    assert "Graag de IB60." in render_email(environment(), queued[1])[1]
