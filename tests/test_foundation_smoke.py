"""The start page, staff sign-in and the tenant page work on both databases."""

from bs4 import BeautifulSoup

from tests.factories import corporation_with_complex, sign_in, staff, tenancies, tenant_code


def test_start_page_is_dutch_by_default(client):
    page = BeautifulSoup(client.get("/").text, "html.parser")
    assert page.html["lang"] == "nl"
    assert page.html["dir"] == "ltr"
    assert page.find("label", attrs={"for": "code"}).get_text(strip=True) == "Persoonlijke code"
    switch = page.find("nav", attrs={"aria-label": "Taal"})
    assert len(switch.find_all("a")) == 6


def test_start_page_has_code_field_and_language_switch(client):
    """English comes from the en catalogue (Dutch is the source language)."""
    page = BeautifulSoup(client.get("/?lang=en").text, "html.parser")
    assert page.html["lang"] == "en"
    assert page.find("label", attrs={"for": "code"}).get_text(strip=True) == "Personal code"
    switch = page.find("nav", attrs={"aria-label": "Language"})
    assert len(switch.find_all("a")) == 6


def test_arabic_is_right_to_left(client):
    page = BeautifulSoup(client.get("/?lang=ar").text, "html.parser")
    assert page.html["lang"] == "ar"
    assert page.html["dir"] == "rtl"


def test_tenant_code_opens_own_home(client, engine, settings):
    world = corporation_with_complex(engine)
    tenancy = tenancies(engine, world.corporation.id)[0]
    code = tenant_code(engine, settings, tenancy)
    response = client.submit(
        "/code", {"code": code.lower().replace("-", " ")}, follow_redirects=True
    )
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1.get_text(strip=True) == "Uw woning"
    assert "Lindelaan 1" in page.main.get_text()


def test_wrong_code_is_explained_in_dutch(client, engine):
    response = client.submit("/code", {"code": "ABCDE-FGHJK-MNPQR"})
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    summary = page.find(class_="error-summary")
    assert summary.h2.get_text(strip=True) == "Er is een probleem"
    assert "Deze code klopt niet" in summary.get_text()


def test_staff_sees_own_complexes(client, engine):
    corporation_with_complex(engine, "acme")
    user = staff(engine, "acme", "project_leader")
    sign_in(client, user.email)
    page = BeautifulSoup(client.get("/medewerkers/complexen").text, "html.parser")
    assert page.h1.get_text(strip=True) == "Complexen en woningen"
    assert page.find("a", string="C-1") is not None
