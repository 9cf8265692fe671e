"""The start page, staff sign-in and the tenant page work on both databases."""

from bs4 import BeautifulSoup

from tests.factories import corporation_with_complex, sign_in, staff, tenancies, tenant_code


def test_start_page_has_code_field_and_language_switch(client):
    page = BeautifulSoup(client.get("/?lang=en").text, "html.parser")
    assert page.html["lang"] == "en"
    assert page.find("label", attrs={"for": "code"}).get_text(strip=True) == "Personal code"
    switch = page.find("nav", attrs={"aria-label": "Language"})
    assert len(switch.find_all("a")) == 6


def test_tenant_code_opens_own_home(client, engine, settings):
    world = corporation_with_complex(engine)
    tenancy = tenancies(engine, world.corporation.id)[0]
    code = tenant_code(engine, settings, tenancy)
    response = client.submit("/code", {"code": code.lower().replace("-", " ")}, follow_redirects=True)
    assert response.status_code == 200
    assert "Lindelaan 1" in response.text


def test_staff_sees_own_complexes(client, engine):
    corporation_with_complex(engine, "acme")
    user = staff(engine, "acme", "project_leader")
    sign_in(client, user.email)
    page = BeautifulSoup(client.get("/medewerkers/complexen").text, "html.parser")
    assert page.find("a", string="C-1") is not None
