"""Bad input is refused with a clear message, never a server error and never stored garbled.

Invalid UTF-8 in forms and JSON, overlong fields, disguised and oversized uploads, ids
beyond the database's integer range.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select

from consent.access_codes.models import Purpose
from consent.db import new_session, session_scope
from consent.housing.models import Tenancy
from consent.initiatives.models import Attachment
from consent.moving.models import SignupNote
from consent.proposals.models import BallotEvent, ProposalAttachment
from consent.rent_reductions import service as rent_reductions
from consent.rent_reductions.models import EvidenceFile, ReductionPause
from consent.settings import Settings
from tests.factories import tenant_code
from tests.security.sec_checks import browser, url_for
from tests.security.sec_routes import API, STAFF, TENANT, of_kind
from tests.security.sec_world import SCHEME, CorpWorld, code, token

ENCODING_H1 = "Wij kunnen uw formulier niet lezen"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
ZIP = b"PK\x03\x04" + b"\x00" * 64
DISGUISED = [
    ("programma.pdf", EXE, "application/pdf"),
    ("foto.png", HTML, "image/png"),
    ("foto.jpg", SVG, "image/jpeg"),
    ("brief.pdf", ZIP, "application/pdf"),
    ("leeg.pdf", b"", "application/pdf"),
    ("tekst.pdf", b"%PD" + b"F" * 10, "application/pdf"),  # almost the magic bytes
]
TOO_BIG = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024 + 1)


def h1(response: Any) -> str:
    found = BeautifulSoup(response.text, "html.parser").find("h1")
    return found.get_text(strip=True) if found else ""


def error_summary(response: Any) -> str:
    found = BeautifulSoup(response.text, "html.parser").select_one(".error-summary")
    return found.get_text(" ", strip=True) if found else ""


def count(engine: Engine, model: Any) -> int:
    with new_session(engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def tenant_with(make_client: Any, value: str) -> Any:
    tenant = browser(make_client)
    assert tenant.submit("/code", {"code": value}).status_code == 303
    tenant._csrf = None
    return tenant


def multipart(fields: dict[str, bytes], boundary: str = "b0undary") -> tuple[bytes, dict[str, str]]:
    body = b""
    for name, value in fields.items():
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n').encode()
        body += value + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, {"content-type": f"multipart/form-data; boundary={boundary}"}


# -- invalid UTF-8 ------------------------------------------------------------------


@pytest.mark.parametrize(
    "comment",
    [b"%FF%FEabc", b"\xff\xfe", b"caf%C3", b"%ED%A0%80"],  # bad bytes, truncated, a surrogate
)
def test_invalid_utf8_in_a_form_is_a_clear_400(
    app: Any, engine: Engine, settings: Settings, make_client: Any, corp_a: CorpWorld,
    comment: bytes,
) -> None:  # fmt: skip
    tenant = tenant_with(make_client, code(engine, settings, corp_a, Purpose.PROPOSAL))
    events = count(engine, BallotEvent)
    url = f"/voorstel/{corp_a.proposal_id}/stem"
    token_ = tenant.csrf().encode()
    urlencoded = b"csrf_token=" + token_ + b"&choice=agree&comment=" + comment
    response = tenant.post(url, content=urlencoded, follow_redirects=False,
                           headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert response.status_code == 400
    assert h1(response) == ENCODING_H1
    raw = unquote_to_bytes(comment)
    body, headers = multipart({"csrf_token": token_, "choice": b"agree", "comment": raw})
    response = tenant.post(url, content=body, headers=headers, follow_redirects=False)
    assert response.status_code == 400
    assert h1(response) == ENCODING_H1
    assert count(engine, BallotEvent) == events  # nothing stored


def test_valid_utf8_in_a_form_is_stored_exactly(
    app: Any, engine: Engine, settings: Settings, make_client: Any, corp_a: CorpWorld
) -> None:
    tenant = tenant_with(make_client, code(engine, settings, corp_a, Purpose.PROPOSAL))
    comment = "مرحبا – Привіт – Çok güzel – 😀 – \u00a0Zoë"
    url = f"/voorstel/{corp_a.proposal_id}/stem"
    assert tenant.submit(url, {"choice": "agree", "comment": comment}).status_code == 303
    body, headers = multipart({"csrf_token": tenant.csrf().encode(), "choice": b"disagree",
                               "comment": comment.encode()})  # fmt: skip
    assert (
        tenant.post(url, content=body, headers=headers, follow_redirects=False).status_code == 303
    )
    with new_session(engine) as session:
        stored = session.exec(select(BallotEvent.comment).order_by(BallotEvent.id.desc())).all()  # type: ignore[union-attr]
    assert stored[:2] == [comment, comment]


def test_invalid_utf8_in_a_file_name_is_refused_but_file_bytes_are_not_text(
    app: Any, engine: Engine, make_client: Any, corp_a: CorpWorld
) -> None:
    staff = browser(make_client, corp_a.admin_email)
    url = f"/medewerkers/voorstellen/{corp_a.proposal_id}/bijlagen"
    boundary = "b0undary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{staff.csrf()}\r\n--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="plan\xff.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode("latin-1")
        + b"%PDF-1.7\n\xff\xfe\x00binary\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
    response = staff.post(url, content=body, headers=headers, follow_redirects=False)
    assert response.status_code == 400 and h1(response) == ENCODING_H1
    # The same file with a UTF-8 name: its binary content is no reason to refuse it.
    ok = body.replace("plan\xff.pdf".encode("latin-1"), "plän.pdf".encode())
    assert staff.post(url, content=ok, headers=headers, follow_redirects=False).status_code == 303


def _with_body(app: Any) -> list[Any]:
    """The API routes whose operation in the OpenAPI document takes a request body."""
    from consent.api.app import openapi_document

    paths = openapi_document()["paths"]
    found = []
    for route in of_kind(app, API):
        template = route.path.removeprefix("/api/v1").replace(":int}", "}").replace(":str}", "}")
        template = template.replace(":path}", "}")
        operations = paths.get(template, {})
        if any("requestBody" in operations.get(m.lower(), {}) for m in route.state_changing):
            found.append(route)
    return found


def test_invalid_utf8_json_is_a_clear_400_on_every_api_write(
    app: Any, engine: Engine, settings: Settings, make_client: Any, corp_a: CorpWorld
) -> None:
    client = browser(make_client)
    headers = token(engine, settings, corp_a.admin_email) | {"content-type": "application/json"}
    writes = _with_body(app)
    assert len(writes) >= 4
    failures = []
    for route in writes:
        for body in (b'{"title": "\xff\xfe"}', b'{"reason": "caf\xc3"}', b"\xff", b"[1, 2]", b"{"):
            response = client.post(url_for(route, corp_a), content=body, headers=headers)
            error = response.json().get("error", "")
            if response.status_code != 400 or "JSON" not in error:
                failures.append((route.name, body, response.status_code, error))
    assert not failures


# -- overlong fields ----------------------------------------------------------------


def test_overlong_proposal_fields_are_refused_with_a_message(
    app: Any, make_client: Any, corp_a: CorpWorld
) -> None:
    staff = browser(make_client, corp_a.admin_email)
    response = staff.submit("/medewerkers/voorstellen/nieuw", {
        "complex": corp_a.complex_code, "title": "t" * 500, "summary": "s" * 20_000,
        "works": "w" * 20_000, "opens_at": "2030-01-01T10:00", "closes_at": "2030-02-01T10:00",
        "counting_rule": "respondents",
    })  # fmt: skip
    assert response.status_code == 400
    summary = error_summary(response)
    assert "Deze tekst is te lang. Gebruik maximaal 200 tekens; u gebruikte er 500." in summary
    assert "Gebruik maximaal 10.000 tekens; u gebruikte er 20.000." in summary
    page = BeautifulSoup(response.text, "html.parser")
    assert page.find("textarea", attrs={"name": "works"}).get_text() == "w" * 20_000


def test_overlong_login_and_code_are_refused(app: Any, make_client: Any, corp_a: CorpWorld) -> None:
    visitor = browser(make_client)
    assert (
        visitor.submit("/inloggen", {"email": "e" * 50_000, "password": "p" * 50_000}).status_code
        == 400
    )
    assert visitor.submit("/code", {"code": "c" * 50_000}).status_code == 400


@pytest.mark.parametrize("where", ["moving note", "case worker question"])
def test_overlong_free_text_is_refused_and_never_stored(
    app: Any, engine: Engine, settings: Settings, make_client: Any, corp_a: CorpWorld, where: str
) -> None:
    """Refused whole, with the message (tests/fuzz/test_fuzz_overlong.py has every form)."""
    client = browser(make_client, corp_a.admin_email)
    if where == "moving note":
        url, form, model, column = (f"/medewerkers/verhuizen/{corp_a.signup_id}/notitie",
            {"body": "x" * 50_000}, SignupNote, "body")  # fmt: skip
    else:
        url, form, model, column = (
            f"/medewerkers/huurverlaging/{corp_a.rr_request_id}/informatie",
            {"question": "x" * 50_000}, ReductionPause, "question")  # fmt: skip
    with new_session(engine) as session:
        before = [getattr(row, column) for row in session.exec(select(model)).all()]
    response = client.submit(url, form)
    assert response.status_code == 400
    assert "Gebruik maximaal 4.000 tekens; u gebruikte er 50.000." in error_summary(response)
    with new_session(engine) as session:
        assert [getattr(row, column) for row in session.exec(select(model)).all()] == before


def test_an_overlong_vote_comment_is_never_stored_whole(
    app: Any, engine: Engine, settings: Settings, make_client: Any, corp_a: CorpWorld
) -> None:
    """Cut to the column's length (the database would refuse more on PostgreSQL)."""
    client = tenant_with(make_client, code(engine, settings, corp_a, Purpose.PROPOSAL))
    response = client.submit(f"/voorstel/{corp_a.proposal_id}/stem",
                             {"choice": "agree", "comment": "x" * 50_000})  # fmt: skip
    assert response.status_code in (303, 400)
    with new_session(engine) as session:
        comments = [row.comment for row in session.exec(select(BallotEvent)).all()]
    assert comments and max(len(c) for c in comments) <= 2000


def test_an_overlong_vote_comment_is_refused_with_a_message(
    app: Any, engine: Engine, settings: Settings, make_client: Any, corp_a: CorpWorld
) -> None:
    tenant = tenant_with(make_client, code(engine, settings, corp_a, Purpose.PROPOSAL))
    page = tenant.get(f"/voorstel/{corp_a.proposal_id}")
    field = BeautifulSoup(page.text, "html.parser").find("textarea", attrs={"name": "comment"})
    assert field is not None and field.get("maxlength") == "2000"
    comment = "x" * 2001
    with new_session(engine) as session:
        before = len(session.exec(select(BallotEvent)).all())
    response = tenant.submit(f"/voorstel/{corp_a.proposal_id}/stem",
                             {"choice": "agree", "comment": comment})  # fmt: skip
    assert response.status_code == 400
    assert re.search(r"2[.,\u202f]?000", error_summary(response)), error_summary(response)
    kept = BeautifulSoup(response.text, "html.parser").find("textarea", attrs={"name": "comment"})
    assert kept is not None and kept.get_text() == comment
    with new_session(engine) as session:
        assert len(session.exec(select(BallotEvent)).all()) == before, "a ballot was stored"


# -- disguised and oversized uploads -----------------------------------------------


def _stored_files(settings: Settings) -> list[Path]:
    root = Path(settings.upload_dir)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_disguised_uploads_are_refused_everywhere(
    app: Any, engine: Engine, settings: Settings, make_client: Any, corp_a: CorpWorld
) -> None:
    staff = browser(make_client, corp_a.admin_email)
    initiator = tenant_with(make_client, code(engine, settings, corp_a, Purpose.INITIATIVE))
    with session_scope(engine) as session:  # a rent-reduction request still open for files
        tenancy = session.get(Tenancy, corp_a.tenancy_ids[4])
        assert tenancy is not None
        draft = rent_reductions.start_draft(session, tenancy, SCHEME)
        draft_id = draft.id
    rr_tenant = tenant_with(make_client, tenant_code(
        engine, settings, tenancy, Purpose.RENT_REDUCTION, tenancy.id))  # fmt: skip
    targets = [
        (staff, f"/medewerkers/voorstellen/{corp_a.proposal_id}/bijlagen", {"file_title": "x"},
         ProposalAttachment),
        (initiator, f"/initiatieven/{corp_a.initiative_id}/bijlage", {}, Attachment),
        (rr_tenant, f"/huurverlaging/{tenancy.id}/aanvragen/{draft_id}/bewijs",
         {"kind": "income_month_1"}, EvidenceFile),
    ]  # fmt: skip
    files_before = _stored_files(settings)
    for client, url, form, model in targets:
        rows = count(engine, model)
        for name, data, content_type in [*DISGUISED, ("groot.pdf", TOO_BIG, "application/pdf")]:
            response = client.post(
                url, data=form | {"csrf_token": client.csrf()},
                files={"file": (name, data, content_type)}, follow_redirects=False,
            )  # fmt: skip
            assert response.status_code in (400, 413), (url, name, response.status_code)
            if response.status_code == 400:
                assert error_summary(response), (url, name)
        assert count(engine, model) == rows, url
        # A real PDF is accepted (so the refusals above were about the content).
        good = client.post(url, data=form | {"csrf_token": client.csrf()},
                           files={"file": ("echt.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf")},
                           follow_redirects=False)  # fmt: skip
        assert good.status_code == 303, (url, good.status_code)
    assert len(_stored_files(settings)) == len(files_before) + len(targets)


def test_an_oversized_body_is_refused_before_it_is_read_whole(
    app: Any, make_client: Any, corp_a: CorpWorld
) -> None:
    staff = browser(make_client, corp_a.admin_email)
    response = staff.post(
        f"/medewerkers/voorstellen/{corp_a.proposal_id}/bijlagen",
        data={"csrf_token": staff.csrf()},
        files={"file": ("groot.pdf", b"%PDF-" + b"0" * (26 * 1024 * 1024), "application/pdf")},
    )
    assert response.status_code == 413
    assert h1(response) == "Wat u stuurde, is te groot"


# -- ids beyond the integer range -----------------------------------------------------


def test_huge_ids_are_not_found_on_every_route(
    app: Any, engine: Engine, settings: Settings, make_client: Any, corp_a: CorpWorld
) -> None:
    staff = browser(make_client, corp_a.admin_email)
    tenant = browser(make_client)
    for purpose in Purpose:
        tenant.submit("/code", {"code": code(engine, settings, corp_a, purpose)})
        tenant._csrf = None
    api = token(engine, settings, corp_a.admin_email)
    failures = []
    for kind, client, headers in ((STAFF, staff, {}), (TENANT, tenant, {}), (API, staff, api)):
        for route in of_kind(app, kind):
            if ":int}" not in route.path:
                continue
            for huge in ("2147483648", "9" * 30):
                url = route.path
                for name in route.params:
                    if f"{{{name}:int}}" in url:
                        url = url.replace(f"{{{name}:int}}", huge)
                url = url_for(type(route)(route.name, url, route.methods), corp_a)
                for method in sorted(route.methods - {"HEAD"}):
                    extra = {"json": {}} if kind == API else {"data": {"csrf_token": client.csrf()}}
                    if method == "GET":
                        extra = {}
                    response = client.request(
                        method, url, headers=headers, follow_redirects=False, **extra
                    )
                    if response.status_code != 404:
                        failures.append((route.name, method, huge[:12], response.status_code))
    assert not failures


def test_json_bodies_of_the_wrong_shape_are_400(
    app: Any, engine: Engine, settings: Settings, make_client: Any, corp_a: CorpWorld
) -> None:
    client = browser(make_client)
    headers = token(engine, settings, corp_a.admin_email)
    for body in ([], "tekst", 12, None, {"title": {"a": 1}, "complex": ["x"], "opens_at": 5}):
        response = client.post("/api/v1/proposals", content=json.dumps(body),
                               headers=headers | {"content-type": "application/json"})  # fmt: skip
        assert response.status_code == (422 if isinstance(body, dict) else 400), body
        assert response.json()["error"]
