"""Attachments: PDF/JPEG/PNG by content, size-limited, served to the right people only."""

from __future__ import annotations

from bs4 import BeautifulSoup

from consent import uploads
from consent.proposals import attachments
from consent.proposals.models import ProposalAttachment

BASE = "/medewerkers/voorstellen"
PDF = b"%PDF-1.7\n" + b"x" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def soup(response):  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.text, "html.parser")


def upload(client, proposal_id, data, name="plan.pdf", title="Bouwtekening"):  # type: ignore[no-untyped-def]
    return client.post(
        f"{BASE}/{proposal_id}/bijlagen",
        data={"csrf_token": client.csrf(), "file_title": title},
        files={"file": (name, data, "application/octet-stream")},
        follow_redirects=False,
    )


def test_upload_download_and_remove(acme, client):
    proposal = acme.proposal()
    acme.staff_client(client)
    assert upload(client, proposal.id, PNG, name="../../etc/foto.png").status_code == 303
    [row] = acme.all(ProposalAttachment)
    assert (row.content_type, row.filename, row.size) == ("image/png", "foto.png", len(PNG))
    stored = attachments.path_of(acme.settings, row)
    assert stored.read_bytes() == PNG and stored.parent.parent == acme.settings.upload_dir
    page = soup(client.get(f"{BASE}/{proposal.id}"))
    link = page.find(id="documents").find_next("a", string="Bouwtekening")["href"]
    download = client.get(link)
    assert download.content == PNG and download.headers["content-type"] == "image/png"
    remove = page.find("form", action=lambda a: a and a.endswith(f"/bijlagen/{row.id}/verwijderen"))
    assert client.submit(remove["action"]).status_code == 303
    assert acme.all(ProposalAttachment) == [] and not stored.exists()


def test_wrong_content_and_too_large_files_are_refused(acme, client, monkeypatch):
    proposal = acme.proposal()
    acme.staff_client(client)
    disguised = upload(client, proposal.id, b"<html>not a pdf</html>", name="plan.pdf")
    assert disguised.status_code == 400
    page = soup(disguised)
    assert [a["href"] for a in page.find(class_="error-summary").find_all("a")] == ["#file"]
    assert page.find("input", id="file_title")["value"] == "Bouwtekening"
    monkeypatch.setattr(uploads, "MAX_BYTES", 32)  # the shared limit
    assert upload(client, proposal.id, PDF).status_code == 400
    assert upload(client, proposal.id, b"").status_code == 400
    assert acme.all(ProposalAttachment) == []


def test_documents_are_private_to_the_corporation(acme, other, client):
    proposal = acme.proposal()
    acme.staff_client(client)
    upload(client, proposal.id, PDF)
    [row] = acme.all(ProposalAttachment)
    client.cookies.clear()
    client._csrf = None
    assert (
        client.get(f"{BASE}/{proposal.id}/bijlagen/{row.id}", follow_redirects=False).status_code
        == 303
    )
    other.staff_client(client)
    assert client.get(f"{BASE}/{proposal.id}/bijlagen/{row.id}").status_code == 404
    theirs = other.proposal()
    assert client.get(f"{BASE}/{theirs.id}/bijlagen/{row.id}").status_code == 404
