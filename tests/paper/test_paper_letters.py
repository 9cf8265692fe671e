"""Letters for a proposal: one PDF, the tenant's language, new codes, QR codes that decode."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from consent.access_codes.models import AccessCode
from consent.db import new_session
from consent.i18n import use_locale
from consent.paper import letters
from consent.security import keyed_hash
from tests.paper.paper_helpers import flat, letters_pdf, pdf_pages, qr_payloads

CODE = re.compile(r"[2-9A-HJKMNP-TW-Z]{5}-[2-9A-HJKMNP-TW-Z]{5}-[2-9A-HJKMNP-TW-Z]{5}")


def letters_url(proposal):
    return f"/medewerkers/voorstellen/{proposal.id}/brieven"


def one_url(proposal):
    return f"/medewerkers/voorstellen/{proposal.id}/brief"


def page_for(pages, text):
    found = [i for i, page in enumerate(pages) if text in page]
    assert found, f"{text!r} on no page"
    return found[0]


def live_code(acme, code):
    """The tenancy a printed code opens (None when it does not work)."""
    with new_session(acme.engine) as session:
        digest = keyed_hash(acme.settings.secret_key, code)
        row = session.exec(select(AccessCode).where(AccessCode.code_hash == digest)).first()
        return row.tenancy_id if row is not None and row.revoked_at is None else None


def test_letters_for_every_household_in_its_language(acme, client):
    proposal = acme.proposal("open", arabic=True)
    acme.staff_client(client)
    pages = pdf_pages(letters_pdf(client, letters_url(proposal), {"kind": "all"}))
    assert len(pages) == 12  # six households: a letter and a ballot form each
    dutch, arabic = acme.tenancies()[5], acme.tenancies()[2]  # languages nl and ar
    assert (dutch.language, arabic.language) == ("nl", "ar")
    with use_locale("nl"):
        deadline_nl = letters.deadline_text(proposal.closes_at)
    with use_locale("ar"):
        deadline_ar = letters.deadline_text(proposal.closes_at)
    # Dutch: address, personal code, deadline, help phone; then the ballot form.
    nl = page_for(pages, "Lindelaan 6")
    letter = flat(pages[nl])
    assert "3521 KL Utrecht" in letter and deadline_nl in letter and "088-1234567" in letter
    [code] = set(CODE.findall(letter))
    assert live_code(acme, code) == dutch.id
    form = flat(pages[nl + 1])
    assert "Stemformulier" in form and "Ik ga akkoord" in form and "Ik ga niet akkoord" in form
    assert acme.form_code(proposal, dutch) in form and code not in form
    # Arabic: the same facts, the translated proposal and Arabic labels.
    ar = page_for(pages, "Lindelaan 3")
    letter = flat(pages[ar])
    [code_ar] = set(CODE.findall(letter))
    assert live_code(acme, code_ar) == arabic.id
    assert "3521 KL Utrecht" in letter
    month = deadline_ar.split()[1]  # e.g. "15 يونيو 2026 om 17:00": the month name
    assert month in letter or month[::-1] in letter
    form = flat(pages[ar + 1])
    assert "أوافق" in form or "أوافق"[::-1] in form
    assert acme.form_code(proposal, arabic) in form


def test_qr_codes_decode_to_the_filled_in_start_page_and_the_form_code(acme, client):
    proposal = acme.proposal("open")
    acme.staff_client(client)
    data = letters_pdf(client, letters_url(proposal), {"kind": "all"})
    pages = pdf_pages(data)
    codes = [set(CODE.findall(flat(page))) for page in pages[::2]]
    payloads = qr_payloads(data)
    for [code] in codes:
        assert f"{acme.settings.base_url}/?code={code}" in payloads
    for tenancy in acme.tenancies():
        assert acme.form_code(proposal, tenancy) in payloads
    assert len(set(payloads)) == 12


def test_printing_letters_again_revokes_the_codes_printed_before(acme, client):
    proposal = acme.proposal("open")
    acme.staff_client(client)
    first = sorted(CODE.findall(flat(pdf_pages(letters_pdf(client, letters_url(proposal), {"kind": "all"}))[0])))
    second = sorted(CODE.findall(flat(pdf_pages(letters_pdf(client, letters_url(proposal), {"kind": "all"}))[0])))
    assert first != second
    assert live_code(acme, first[0]) is None and live_code(acme, second[0]) is not None


def test_reminders_only_for_households_that_did_not_vote(acme, client):
    proposal = acme.proposal("open")
    voted = acme.tenancies()[:2]
    for tenancy in voted:
        acme.vote(proposal, tenancy, "agree")
    acme.staff_client(client)
    pages = pdf_pages(letters_pdf(client, letters_url(proposal), {"kind": "reminder"}))
    assert len(pages) == 8
    text = " ".join(flat(p) for p in pages)
    assert "Lindelaan 1 " not in text and "Lindelaan 2 " not in text and "Lindelaan 6" in text
    assert "Herinnering" in flat(pages[page_for(pages, "Lindelaan 6")])


def test_one_letter_in_another_language_on_request(acme, client):
    proposal = acme.proposal("open", arabic=True)
    dutch = acme.tenancies()[5]
    acme.staff_client(client)
    pages = pdf_pages(letters_pdf(client, one_url(proposal), {"tenancy": dutch.code, "language": "ar"}))
    assert len(pages) == 2 and "Lindelaan 6" in pages[0]
    assert "أوافق" in flat(pages[1]) or "أوافق"[::-1] in flat(pages[1])


def test_letter_html_is_right_to_left_for_arabic(acme):
    from consent.paper.pdf import standalone_html

    proposal = acme.proposal("open", arabic=True)
    with new_session(acme.engine) as session:
        batch = letters.letter_batch(session, acme.settings, proposal, "test",
                                     tenancy_ids={acme.tenancies()[2].id})  # fmt: skip
        [job] = list(batch)
        session.rollback()
    soup = BeautifulSoup(standalone_html(job), "html.parser")
    assert soup.html["lang"] == "ar" and soup.html["dir"] == "rtl"
    window = soup.select_one(".window-row")
    assert window["dir"] == "ltr" and "Lindelaan 3" in window.text  # the envelope window
    assert soup.select_one(".code").text == job.context["code"]


def test_one_letter_bad_input(acme, client):
    proposal = acme.proposal("open")
    acme.staff_client(client)
    response = client.submit(one_url(proposal), {"tenancy": "nope", "language": "xx"})
    assert response.status_code == 400
    soup = BeautifulSoup(response.text, "html.parser")
    links = {a["href"] for a in soup.select(".error-summary a")}
    assert links == {"#tenancy", "#language"}


def test_no_letters_once_voting_is_over(acme, client):
    proposal = acme.close(acme.proposal("open"))
    acme.staff_client(client)
    response = client.submit(letters_url(proposal), {"kind": "all"})
    assert response.status_code == 409
    soup = BeautifulSoup(response.text, "html.parser")
    assert "voorbij" in soup.select_one(".error-summary").text


def test_reminder_needs_open_voting(acme, client):
    proposal = acme.proposal("draft")
    acme.staff_client(client)
    assert client.submit(letters_url(proposal), {"kind": "reminder"}).status_code == 409
    assert len(pdf_pages(letters_pdf(client, letters_url(proposal), {"kind": "all"}))) == 12  # before voting


def test_letters_not_allowed_and_not_found(acme, other, client, make_client):
    proposal = acme.proposal("open")
    assert client.submit(letters_url(proposal), {"kind": "all"}).status_code == 303  # to login
    acme.staff_client(client, "committee", complex_code=acme.world.complex.code)
    assert client.submit(letters_url(proposal), {"kind": "all"}).status_code == 403
    stranger = other.staff_client(make_client())
    assert stranger.submit(letters_url(proposal), {"kind": "all"}).status_code == 404
    assert stranger.submit(one_url(proposal), {"tenancy": acme.tenancies()[0].code}).status_code == 404


def _context(i):
    return {
        "reminder": False, "corporation": "Acme", "help_phone": "088-1", "complex": "De Linde",
        "names": [f"Tenant {i}"], "address_lines": [f"Lindelaan {i}", "3521 KL Utrecht"],
        "reference": f"HO-{i}", "letter_date_text": "1 mei 2026", "title": "Nieuwe gevels",
        "summary": "Wij isoleren de gevel.", "translated": True, "content_language": "nl",
        "deadline_text": "15 mei 2026 om 17:00", "code": "ABCDE-FGHJK-MNPQR",
        "link": "http://x/?code=ABCDE-FGHJK-MNPQR", "form_code": f"P1-T{i}-ABCDEF12",
        "choice_agree": "Ik ga akkoord", "choice_disagree": "Ik ga niet akkoord",
        "choice_agree_nl": "Ik ga akkoord", "choice_disagree_nl": "Ik ga niet akkoord",
    }  # fmt: skip


def test_large_batches_render_in_worker_processes_and_keep_their_order():
    from consent.paper.pdf import LetterJob, letters_pdf, workers_for

    assert workers_for(10) == 1
    jobs = [LetterJob("proposal_letter", "ar" if i == 2 else "nl", _context(i)) for i in range(1, 6)]
    pages = pdf_pages(letters_pdf(iter(jobs), total=5, workers=2))
    assert len(pages) == 10
    assert [int(re.search(r"Lindelaan (\d)", pages[i]).group(1)) for i in range(0, 10, 2)] == [1, 2, 3, 4, 5]
    assert "P1-T5-ABCDEF12" in pages[9]


def test_parts_are_about_sixty_letters_and_as_many_for_every_worker():
    from consent.paper.pdf import part_size

    assert part_size(500, 2) == 63  # 8 parts: 4 for each worker
    assert part_size(5, 2) == 3
    assert part_size(2000, 2) == 59  # 34 parts
    assert part_size(1, 4) == 1


def test_a_part_that_fails_in_a_worker_fails_the_whole_pdf():
    from jinja2 import TemplateNotFound

    from consent.paper.pdf import LetterJob, letters_pdf

    jobs = [LetterJob("proposal_letter", "nl", _context(i)) for i in range(1, 5)]
    with pytest.raises(TemplateNotFound):
        letters_pdf(iter([*jobs, LetterJob("no_such_letter", "nl", {})]), total=5, workers=2)
