"""The no-JavaScript flow: plain posts and 303 redirects, errors re-render with status 400."""

from __future__ import annotations

from bs4 import BeautifulSoup

from consent.initiatives.models import Status
from tests.factories import corporation_with_complex, staff, tenancies
from tests.initiatives.initiative_helpers import (
    PDF,
    PNG,
    code_for,
    enter,
    make_initiative,
    outbox,
    reload,
    second_complex,
    staff_sign_in,
    tenant_browser,
)


def soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.text, "html.parser")


def test_code_lands_on_the_complex_page_and_a_tenant_starts_signs_and_submits(
    client, make_client, engine, settings
):
    world = corporation_with_complex(engine)
    homes = tenancies(engine, world.corporation.id)
    landing = enter(client, code_for(engine, settings, homes[0], world.complex.id))
    assert landing.headers["location"].endswith(f"/initiatieven/complex/{world.complex.id}")
    page = soup(client.get(landing.headers["location"]))
    assert page.h1.get_text(strip=True) == "Initiatieven in De Linde"
    new_url = page.find("a", string="Start een initiatief")["href"]

    form = {"title": "Dakisolatie", "scope": "complex", "measures": ["roof", "solar_panels"],
            "reason": "Het is koud boven.", "offer": "12,50"}  # fmt: skip
    created = client.submit(new_url, form)
    assert created.status_code == 303
    detail_url = created.headers["location"].split("?")[0]
    page = soup(client.get(created.headers["location"]))
    assert "bewaard als concept" in page.find(class_="notice").get_text()
    assert page.find("h2", id="status-title").get_text(strip=True) == "Status: Concept"
    assert "€\xa012,50" in page.get_text()

    opened = client.submit(detail_url + "/openen")
    assert opened.status_code == 303

    neighbour = tenant_browser(make_client(), engine, settings, homes[1], world.complex.id)
    page = soup(neighbour.get(detail_url))
    assert "1 van de 12 huishoudens" in page.find(id="support").get_text()
    signed = neighbour.submit(detail_url + "/ondertekenen")
    assert signed.status_code == 303
    page = soup(neighbour.get(signed.headers["location"]))
    assert "Uw steun is geteld" in page.get_text()
    assert "2 van de 12 huishoudens" in page.find(id="support").get_text()
    again = soup(neighbour.get(detail_url))
    assert again.find("button", string="Ik steun dit initiatief") is None

    submitted = client.submit(detail_url + "/indienen")
    assert submitted.status_code == 303
    page = soup(client.get(detail_url))
    status = page.find(id="status").get_text()
    assert "Ingediend" in status and "uiterlijk op" in status
    rows = page.find("table").find("tbody").find_all("tr")
    assert [r.find_all("td")[1].get_text(strip=True) for r in rows] == [
        "Concept", "Steun verzamelen", "Ingediend, wacht op antwoord"]  # fmt: skip


def test_form_errors_keep_every_value_and_answer_400(client, engine, settings):
    world = corporation_with_complex(engine)
    tenant_browser(
        client, engine, settings, tenancies(engine, world.corporation.id)[0], world.complex.id
    )
    url = f"/initiatieven/complex/{world.complex.id}/nieuw"
    response = client.submit(
        url, {"title": "Mijn idee", "scope": "home", "measures": ["other"], "offer": "veel"}
    )
    assert response.status_code == 400
    page = soup(response)
    summary = page.find(class_="error-summary")
    targets = {a["href"] for a in summary.find_all("a")}
    assert targets == {"#measure_text", "#reason", "#offer"}
    assert page.find("input", id="title")["value"] == "Mijn idee"
    assert page.find("input", id="offer")["value"] == "veel"
    assert page.find("input", attrs={"value": "home"}).has_attr("checked")
    assert page.find("input", attrs={"value": "other"}).has_attr("checked")


def test_free_text_with_html_is_escaped(client, make_client, engine, settings):
    world = corporation_with_complex(engine)
    homes = tenancies(engine, world.corporation.id)
    tenant_browser(client, engine, settings, homes[0], world.complex.id)
    evil = '<script>alert("x")</script><b>vet</b>'
    created = client.submit(f"/initiatieven/complex/{world.complex.id}/nieuw",
                            {"title": evil, "scope": "complex", "measures": ["roof"], "reason": evil,
                             "measure_text": evil})  # fmt: skip
    detail = client.get(created.headers["location"])
    assert "<script>alert" not in detail.text and "<b>vet</b>" not in detail.text
    assert "&lt;script&gt;" in detail.text
    page = soup(detail)
    assert page.find("script", string=lambda s: s and "alert" in s) is None
    assert page.h1.get_text() == evil


def test_no_access_without_code_or_with_another_complexs_code(
    client, make_client, engine, settings
):
    world = corporation_with_complex(engine)
    homes = tenancies(engine, world.corporation.id)
    initiative = make_initiative(engine, settings, world, homes[0])
    response = client.get(f"/initiatieven/{initiative.id}")
    assert response.status_code == 403
    assert soup(response).h1.get_text(strip=True) == "Vul eerst uw persoonlijke code in"
    other_complex, others = second_complex(engine, world.corporation.id)
    stranger = tenant_browser(make_client(), engine, settings, others[0], other_complex.id)
    assert stranger.get(f"/initiatieven/{initiative.id}").status_code == 403
    assert client.get("/initiatieven/999999").status_code == 404
    neighbour = tenant_browser(make_client(), engine, settings, homes[1], world.complex.id)
    assert neighbour.get(f"/initiatieven/{initiative.id}").status_code == 404  # someone's draft


def test_attachments_are_checked_by_content_and_downloadable(client, engine, settings):
    world = corporation_with_complex(engine)
    tenant_browser(
        client, engine, settings, tenancies(engine, world.corporation.id)[0], world.complex.id
    )
    initiative = make_initiative(engine, settings, world)
    url = f"/initiatieven/{initiative.id}/bijlage"
    files = {"file": ("foto.png", b"<html>not an image</html>", "image/png")}
    bad = client.post(url, data={"csrf_token": client.csrf()}, files=files)
    assert bad.status_code == 400
    assert "JPG of PNG" in soup(bad).find(class_="error-summary").get_text()
    good = client.post(url, data={"csrf_token": client.csrf()}, files={"file": ("dak foto.png", PNG, "image/png")},
                       follow_redirects=False)  # fmt: skip
    assert good.status_code == 303
    client.post(
        url, data={"csrf_token": client.csrf()}, files={"file": ("plan.jpg", PDF, "image/jpeg")}
    )
    page = soup(client.get(f"/initiatieven/{initiative.id}"))
    links = [a for a in page.find_all("a") if "/bijlagen/" in a["href"]]
    assert [a.get_text() for a in links] == ["dak foto.png", "plan.pdf"]
    download = client.get(links[1]["href"])
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.content == PDF


def test_staff_answer_flow_with_pause_and_reasons(client, make_client, engine, settings):
    world = corporation_with_complex(engine)
    homes = tenancies(engine, world.corporation.id)
    tenant = tenant_browser(make_client(), engine, settings, homes[0], world.complex.id)
    initiative = make_initiative(engine, settings, world, homes[0])
    tenant.submit(f"/initiatieven/{initiative.id}/indienen")
    leader = staff(engine, "acme", "project_leader")
    staff_sign_in(client, leader.email)
    base = f"/medewerkers/initiatieven/{initiative.id}"

    missing = client.submit(base + "/antwoord", {"decision": "rejected", "reasons": ""})
    assert missing.status_code == 400
    assert soup(missing).find("a", href="#reasons") is not None
    assert soup(missing).find("input", attrs={"value": "rejected"}).has_attr("checked")

    asked = client.submit(
        base + "/antwoord", {"decision": "more_info", "reasons": "Welk dak bedoelt u?"}
    )
    assert asked.status_code == 303
    page = soup(tenant.get(f"/initiatieven/{initiative.id}"))
    assert "De klok staat stil" in page.find(id="status").get_text()
    assert "Welk dak bedoelt u?" in page.find("table").get_text()
    assert reload(engine, initiative.id).due_at is None

    reply = tenant.submit(f"/initiatieven/{initiative.id}/informatie", {"text": "Het platte dak."})
    assert reply.status_code == 303
    assert reload(engine, initiative.id).status == Status.SUBMITTED

    rejected = client.submit(
        base + "/antwoord", {"decision": "rejected", "reasons": "Het dak is nieuw."}
    )
    assert rejected.status_code == 303
    page = soup(tenant.get(f"/initiatieven/{initiative.id}"))
    assert "Het dak is nieuw." in page.find(id="status").get_text()
    where = page.find("h2", id="next-title").find_parent("section").get_text()
    assert "huurdersorganisatie" in where and "kantonrechter" not in where  # solar panels only
    again = client.submit(base + "/antwoord", {"decision": "accepted", "reasons": ""})
    assert again.status_code == 409
    assert len(outbox(engine, "initiative_status")) >= 4


def test_staff_dashboard_flags_overdue_and_scopes_committee(client, make_client, engine, settings):
    from tests.initiatives.test_initiative_answers import _shift, _submit

    world = corporation_with_complex(engine)
    late = make_initiative(engine, settings, world, title="Te laat")
    _submit(engine, settings, late.id)
    _shift(engine, late.id, 50)
    on_time = make_initiative(engine, settings, world, title="Op tijd")
    _submit(engine, settings, on_time.id)
    make_initiative(engine, settings, world, title="Nog concept")
    other_complex, _ = second_complex(engine, world.corporation.id)
    leader = staff(engine, "acme", "project_leader")
    staff_sign_in(client, leader.email)
    page = soup(client.get("/medewerkers/initiatieven"))
    rows = page.find("tbody").find_all("tr")
    assert [r.find("a").get_text() for r in rows] == ["Te laat", "Op tijd"]
    assert "Te laat" in rows[0].find_all("td")[3].get_text()
    assert "1 initiatief heeft te laat antwoord" in page.find(class_="notice").get_text()
    detail = soup(client.get(f"/medewerkers/initiatieven/{late.id}"))
    assert "Het antwoord is te laat" in detail.find(id="status").get_text()

    broker = staff(engine, "acme", "broker")
    browser = make_client()
    staff_sign_in(browser, broker.email)
    assert browser.get("/medewerkers/initiatieven").status_code == 403
    committee = staff(engine, "acme", "committee", email="c2@acme.example", complex_code="C-2")
    browser = make_client()
    staff_sign_in(browser, committee.email)
    page = soup(browser.get("/medewerkers/initiatieven"))
    assert page.find("tbody") is None
    assert browser.get(f"/medewerkers/initiatieven/{late.id}").status_code == 404
    assert other_complex.id


def test_committee_member_starts_an_initiative_for_their_complex(
    client, make_client, engine, settings
):
    world = corporation_with_complex(engine)
    member = staff(engine, "acme", "committee", complex_code="C-1")
    staff_sign_in(client, member.email)
    form = client.get("/medewerkers/initiatieven/nieuw")
    assert soup(form).find("input", attrs={"name": "scope"}) is None
    created = client.submit("/medewerkers/initiatieven/nieuw",
                            {"title": "Groen dak", "measures": ["roof"], "reason": "Voor de buurt."})  # fmt: skip
    assert created.status_code == 303
    detail_url = created.headers["location"].split("?")[0]
    assert client.submit(detail_url + "/openen").status_code == 303
    neighbour = tenant_browser(
        make_client(),
        engine,
        settings,
        tenancies(engine, world.corporation.id)[4],
        world.complex.id,
    )
    page = soup(neighbour.get(neighbour_url := detail_url.replace("/medewerkers", "")))
    assert "Gestart door de bewonerscommissie" in page.get_text()
    assert "0 van de 12 huishoudens" in page.find(id="support").get_text()
    assert neighbour.submit(neighbour_url + "/ondertekenen").status_code == 303
    leader = staff(engine, "acme", "project_leader")
    browser = make_client()
    staff_sign_in(browser, leader.email)
    assert browser.submit(detail_url + "/indienen").status_code == 403  # only the initiator
    assert client.submit(detail_url + "/indienen").status_code == 303
