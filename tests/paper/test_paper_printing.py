"""Queued letters (outbox channel "letter"): the 8-week notice, made as one PDF, sent once posted."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from consent.audit.models import AuditEvent
from consent.db import new_session, session_scope
from consent.housing.models import Tenancy
from consent.i18n import use_locale
from consent.outbox.models import OutboxMessage
from consent.outbox.service import enqueue
from consent.paper import files
from consent.paper.models import LetterRun
from consent.paper.printing import render_letter
from consent.proposals import workflow
from consent.proposals.models import Proposal
from tests.paper.paper_helpers import flat, letters_pdf, pdf_pages, run_of


def notices_queued(acme):
    """Five agree, the sixth (no email, Dutch) did not vote: one notice as a letter."""
    homes = acme.tenancies()
    with session_scope(acme.engine) as session:
        tenancy = session.get(Tenancy, homes[5].id)
        tenancy.email = ""
        session.add(tenancy)
    proposal = acme.proposal("open")
    for tenancy in homes[:5]:
        acme.vote(proposal, tenancy, "agree")
    acme.close(proposal)
    with new_session(acme.engine) as session:
        current = session.get(Proposal, proposal.id)
        assert workflow.decide(session, current, "test")
        workflow.send_notices(session, current, "test")
        session.commit()
    [letter] = [m for m in acme.all(OutboxMessage) if m.channel == "letter"]
    return proposal, letter


def test_the_notice_renders_in_the_letter_layout(acme):
    _proposal, message = notices_queued(acme)
    context = json.loads(message.context)
    page = BeautifulSoup(render_letter(message), "html.parser")
    assert page.html["lang"] == "nl" and page.select_one("article.letter")
    window = page.select_one(".window").text
    assert "Lindelaan 6" in window and "3521 KL Utrecht" in window
    text = flat(page.text)
    assert context["deadline_text"] in text and "kantonrechter" in text and "088-1234567" in text


def test_pending_letters_print_as_one_pdf_marked_sent_only_once_confirmed_posted(acme, client):
    _proposal, message = notices_queued(acme)
    context = json.loads(message.context)
    acme.staff_client(client)
    page = BeautifulSoup(client.get("/medewerkers/brieven").text, "html.parser")
    rows = page.select("#pending-letters tbody tr")
    assert len(rows) == 1 and "8 weken" in rows[0].text
    up_to = page.select_one("#print-form input[name=up_to]")["value"]
    run_id = run_of(client.submit("/medewerkers/brieven/printen", {"up_to": up_to}))
    run_url = f"/medewerkers/brieven/opdrachten/{run_id}"
    # Made, not yet downloaded: not sent, and confirming is refused.
    [waiting] = [m for m in acme.all(OutboxMessage) if m.channel == "letter"]
    assert waiting.sent_at is None and waiting.context == message.context
    refused = client.submit(run_url + "/verstuurd")
    assert refused.status_code == 409
    assert "Download en print de brieven eerst" in BeautifulSoup(refused.text, "html.parser").select_one(".error-summary").text
    # Downloaded (twice: the printer jammed): still not sent, and no longer offered to print.
    for _ in range(2):
        download = client.get(run_url + "/brieven.pdf")
        assert download.status_code == 200 and download.headers["content-type"] == "application/pdf"
    text = flat(" ".join(pdf_pages(download.content)))
    assert "Lindelaan 6" in text and context["deadline_text"] in text
    [waiting] = [m for m in acme.all(OutboxMessage) if m.channel == "letter"]
    assert waiting.sent_at is None and waiting.context == message.context
    assert BeautifulSoup(client.get("/medewerkers/brieven").text, "html.parser").select_one("#no-letters")
    [run] = acme.all(LetterRun)
    assert run.downloads == 2 and files.path_of(acme.settings, run.file_name) is not None
    # Confirmed posted: marked sent, the content and the PDF gone.
    assert client.submit(run_url + "/verstuurd").status_code == 303
    [printed] = [m for m in acme.all(OutboxMessage) if m.channel == "letter"]
    assert printed.sent_at is not None and printed.context == "{}"
    [run] = acme.all(LetterRun)
    assert run.status == "posted" and run.posted_by == client.user.id and run.file_name == ""
    assert not list((acme.settings.upload_dir / files.FOLDER).iterdir())
    assert client.get(run_url + "/brieven.pdf").status_code == 404
    assert "bevestigd door" in BeautifulSoup(client.get(run_url).text, "html.parser").select_one("#run-status").text
    actions = [e.action for e in acme.all(AuditEvent)]
    for action in ("paper.letters_requested", "paper.letters_ready", "paper.letters_downloaded",
                   "paper.letters_posted"):  # fmt: skip
        assert action in actions
    assert client.submit("/medewerkers/brieven/printen", {"up_to": up_to}).status_code == 409
    assert client.submit(run_url + "/verstuurd").status_code == 409  # only once


def _queue(acme, template, context, language="nl"):
    with session_scope(acme.engine) as session:
        enqueue(session, corporation_id=acme.id, recipient="Tenant 1, Lindelaan 1, 3521 KL Utrecht",
                language=language, template=template, context=context, channel="letter")  # fmt: skip


def test_each_role_prints_its_own_letters_and_others_print_as_they_are(acme, client, make_client):
    _queue(acme, "rent_reduction_more_info", {"corporation": "Acme", "reference": "HV-1",
           "scheme": "Regeling", "question": "Stuur uw loonstrook.", "link": "http://x/"})  # fmt: skip
    _queue(acme, "code_request", {"code": "ABCDE-FGHJK-MNPQR", "purpose": "moving", "address": "Lindelaan 1",
           "complex_name": "De Linde", "corporation": "Acme", "names": "Tenant 1",
           "link": "http://x/", "valid_days": 90})  # fmt: skip
    leader = acme.staff_client(make_client())
    listed = BeautifulSoup(leader.get("/medewerkers/brieven").text, "html.parser")
    assert len(listed.select("#pending-letters tbody tr")) == 1  # the code letter, not the rent one
    worker = acme.staff_client(make_client(), "case_worker")
    listed = BeautifulSoup(worker.get("/medewerkers/brieven").text, "html.parser")
    assert len(listed.select("#pending-letters tbody tr")) == 2
    up_to = listed.select_one("#print-form input[name=up_to]")["value"]
    text = flat(" ".join(pdf_pages(letters_pdf(worker, "/medewerkers/brieven/printen", {"up_to": up_to}))))
    assert "Stuur uw loonstrook." in text and "ABCDE-FGHJK-MNPQR" in text
    with use_locale("nl"):
        assert "Uw persoonlijke code van Acme" in text  # the email's subject as the heading
    [run] = acme.all(LetterRun)
    assert leader.get(f"/medewerkers/brieven/opdrachten/{run.id}").status_code == 403  # a rent letter in it
    broker = acme.staff_client(client, "broker")
    assert broker.get("/medewerkers/brieven").status_code == 403
    assert broker.submit("/medewerkers/brieven/printen", {"up_to": up_to}).status_code == 403
    assert broker.get(f"/medewerkers/brieven/opdrachten/{run.id}").status_code == 403


def test_print_bad_input(acme, client):
    acme.staff_client(client)
    response = client.submit("/medewerkers/brieven/printen", {"up_to": "abc"})
    assert response.status_code == 409
    assert BeautifulSoup(response.text, "html.parser").select_one(".error-summary")
