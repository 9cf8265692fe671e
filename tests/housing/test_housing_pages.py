"""Staff pages of the register: scoped to the corporation, a committee sees no names."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.factories import corporation_with_complex, sign_in, staff


def soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.text, "html.parser")


def test_not_signed_in_goes_to_the_sign_in_page(client, engine):
    world = corporation_with_complex(engine)
    for url in ("/medewerkers/complexen", f"/medewerkers/complexen/{world.complex.id}"):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].endswith(f"/inloggen?next={url.replace('/', '%2F')}")


def test_list_shows_only_the_own_corporations_complexes(client, engine):
    corporation_with_complex(engine, "acme", homes=3)
    corporation_with_complex(engine, "other", homes=5, complex_code="C-9")
    sign_in(client, staff(engine, "acme", "project_leader").email)
    page = soup(client.get("/medewerkers/complexen"))
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in page.select("tbody tr")]
    assert rows == [["C-1", "De Linde", "3"]]


def test_detail_lists_units_with_tenancies_and_tenants(client, engine):
    world = corporation_with_complex(engine, "acme", homes=3, vacant=1, sold=1)
    sign_in(client, staff(engine, "acme", "case_worker").email)
    page = soup(client.get(f"/medewerkers/complexen/{world.complex.id}"))
    assert page.h1.get_text(" ", strip=True) == "De Linde (C-1)"
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in page.select("tbody tr")]
    assert len(rows) == 5
    assert rows[2][3:5] == ["acme-HO-C-1-0003", "Tenant 3; Partner 3"]
    assert rows[3][3] == rows[4][3] == "Leeg"


def test_another_corporations_complex_is_not_found(client, engine):
    corporation_with_complex(engine, "acme")
    theirs = corporation_with_complex(engine, "other", complex_code="C-9")
    sign_in(client, staff(engine, "acme", "admin").email)
    response = client.get(f"/medewerkers/complexen/{theirs.complex.id}")
    assert response.status_code == 404
    assert "Tenant" not in response.text
    assert soup(response).h1 is not None
    assert client.get("/medewerkers/complexen/999999").status_code == 404


def test_a_committee_member_sees_only_their_complex_without_names(client, engine):
    world = corporation_with_complex(engine, "acme", homes=2, vacant=1)
    corporation_with_complex(engine, "acme2")
    import_second = staff(engine, "acme", "committee", complex_code="C-1")
    sign_in(client, import_second.email)
    page = soup(client.get("/medewerkers/complexen"))
    assert [a.get_text(strip=True) for a in page.select("tbody a")] == ["C-1"]
    detail = client.get(f"/medewerkers/complexen/{world.complex.id}")
    assert detail.status_code == 200
    cells = [
        [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in soup(detail).select("tbody tr")
    ]
    assert [row[-1] for row in cells] == ["Bewoond", "Bewoond", "Leeg"]
    assert "Tenant 1" not in detail.text and "HO-C-1" not in detail.text
    headers = [th.get_text(strip=True) for th in soup(detail).select("thead th")]
    assert "Huurders" not in headers
