"""The anonymous eligibility page, table-driven against the scheme files."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from consent.models import load_all
from consent.rent_reductions import registry
from consent.rent_reductions.schemes import load_all as load_schemes
from tests.rent_reductions.rr_support import soup

SCHEMES = load_schemes()
URL = "/huurverlaging/controleren"
YOUNG, OLD = "15-05-1985", "05-05-1940"
# (scheme, a day it is open, the income field it asks for)
OPEN_ON = [
    ("huurverlaging-2023", dt.date(2023, 8, 1), "income_year"),
    ("huurverlaging-2024", dt.date(2024, 6, 3), "income"),
]


def euros(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}"


def household(kind: str, cents: int, field: str) -> dict[str, str]:
    """Form fields for a household of ``kind`` with total income ``cents``."""
    first = OLD if kind.endswith("pension_age") else YOUNG
    data = {"adult1_birth": first, "rent": "650,00", "tenancy_start": "01-01-2015", "children": "0"}
    if kind.startswith("single"):
        data[f"adult1_{field}"] = euros(cents)
    else:
        half = cents // 2
        data.update({f"adult1_{field}": euros(half), "adult2_birth": YOUNG,
                     f"adult2_{field}": euros(cents - half)})  # fmt: skip
    return data


def result_blocks(response):  # type: ignore[no-untyped-def]
    section = soup(response).find("section", attrs={"aria-labelledby": "results-title"})
    assert section is not None, response.text
    return {div.h3.get_text(strip=True): div for div in section.find_all("div", class_="notice")}


def on(monkeypatch, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(registry, "today", lambda: day)


def test_form_lists_questions_without_results(client, monkeypatch):
    on(monkeypatch, dt.date(2024, 6, 3))
    page = soup(client.get(URL))
    assert page.h1.get_text(strip=True) == "Kom ik in aanmerking voor huurverlaging?"
    form = page.find("form", attrs={"action": "http://testserver" + URL})
    assert form is not None and form["method"] == "post"
    for name in ("adult1_birth", "adult1_income", "children", "rent", "tenancy_start"):
        assert page.find("label", attrs={"for": name}) is not None
    assert page.find("input", attrs={"name": "earlier", "value": "huurverlaging-2023"})
    assert page.find(id="results-title") is None


@pytest.mark.parametrize(("scheme_id", "day", "field"), OPEN_ON)
@pytest.mark.parametrize("kind", ["single", "single_pension_age", "multi", "multi_pension_age"])
@pytest.mark.parametrize(("delta", "eligible"), [(-1, True), (0, True), (1, False)])
def test_income_limits_at_under_and_over(client, monkeypatch, scheme_id, day, field, kind, delta,
                                         eligible):  # fmt: skip
    on(monkeypatch, day)
    scheme = SCHEMES[scheme_id]
    limit = scheme.income_limits_cents.for_household(kind)
    response = client.submit(URL, household(kind, limit + delta, field))
    assert response.status_code == 200, response.text
    block = result_blocks(response)[scheme.name]
    assert ("geldt waarschijnlijk voor u" in block.get_text()) is eligible
    lines = [li.get_text(strip=True) for li in block.ul.find_all("li")]
    if eligible:
        assert lines[0].startswith("U komt waarschijnlijk in aanmerking")
    else:
        assert lines == [line for line in lines if line.startswith("Uw inkomen is")]
        assert f"€\xa0{limit // 100:,}".replace(",", ".") in lines[0]


def test_state_pension_age_is_reached_on_the_birthday(client, monkeypatch):
    """AOW age in 2024 is 67: born 3 June 1957 has reached it on 3 June 2024, a day later not."""
    on(monkeypatch, dt.date(2024, 6, 3))
    scheme = SCHEMES["huurverlaging-2024"]
    income = euros(scheme.income_limits_cents.single_pension_age)
    for birth, eligible in (("03-06-1957", True), ("04-06-1957", False)):
        data = {"adult1_birth": birth, "adult1_income": income, "rent": "650",
                "tenancy_start": "01-01-2015"}  # fmt: skip
        block = result_blocks(client.submit(URL, data))[scheme.name]
        assert ("geldt waarschijnlijk voor u" in block.get_text()) is eligible, birth


def test_children_under_27_raise_the_limit_but_not_the_income(client, monkeypatch):
    on(monkeypatch, dt.date(2024, 6, 3))
    scheme = SCHEMES["huurverlaging-2024"]
    income = euros(scheme.income_limits_cents.multi)
    data = {"adult1_birth": YOUNG, "adult1_income": income, "rent": "650",
            "tenancy_start": "01-01-2015"}  # fmt: skip
    alone = result_blocks(client.submit(URL, {**data, "children": "0"}))[scheme.name]
    assert "Dat is de grens als u alleen woont" in alone.get_text()
    with_child = result_blocks(client.submit(URL, {**data, "children": "1"}))[scheme.name]
    assert "geldt waarschijnlijk voor u" in with_child.get_text()


@pytest.mark.parametrize(("start", "eligible"), [("01-03-2023", True), ("02-03-2023", False)])
def test_tenancy_start_date(client, monkeypatch, start, eligible):
    on(monkeypatch, dt.date(2024, 6, 3))
    data = {"adult1_birth": YOUNG, "adult1_income": "1000", "rent": "650", "tenancy_start": start}
    block = result_blocks(client.submit(URL, data))["Huurverlaging op verzoek 2024"]
    assert ("geldt waarschijnlijk voor u" in block.get_text()) is eligible
    if not eligible:
        assert "Uw huurcontract begon op 2 maart 2023" in block.get_text()


def test_earlier_reduction_and_rent_reasons(client, monkeypatch):
    on(monkeypatch, dt.date(2024, 6, 3))
    data = {"adult1_birth": YOUNG, "adult1_income": "1000", "rent": "577,91",
            "tenancy_start": "01-01-2015", "earlier": "huurverlaging-2023"}  # fmt: skip
    block = result_blocks(client.submit(URL, data))["Huurverlaging op verzoek 2024"]
    text = block.get_text(" ", strip=True)
    assert "Uw huur is €\xa0577,91. De huur moet hoger zijn dan €\xa0577,91." in text
    assert "U kreeg al huurverlaging via: Eenmalige huurverlaging 2023." in text


def test_get_with_query_parameters_shows_the_result(client, monkeypatch):
    on(monkeypatch, dt.date(2024, 6, 3))
    response = client.get(URL, params={"check": "1", "adult1_birth": YOUNG, "adult1_income": "100",
                                       "rent": "650", "tenancy_start": "01-01-2015"})  # fmt: skip
    block = result_blocks(response)["Huurverlaging op verzoek 2024"]
    assert "Uw huur wordt dan €\xa0577,91 per maand" in block.get_text()
    assert block.find("a", string="Vul uw code in")["href"] == "http://testserver/"
    no_code = block.find("a", string="Ik heb geen code")
    assert no_code is None or no_code["href"].endswith("?doel=rent_reduction")


def test_bad_input_is_shown_again_with_errors(client, monkeypatch):
    on(monkeypatch, dt.date(2024, 6, 3))
    data = {"adult1_birth": "31-02-1980", "adult1_income": "veel", "rent": "", "children": "x",
            "adult2_birth": "01-01-1990"}  # fmt: skip
    response = client.submit(URL, data)
    assert response.status_code == 400
    page = soup(response)
    links = {a["href"] for a in page.select(".error-summary a")}
    assert links == {"#adult1_birth", "#adult1_income", "#rent", "#children", "#adult2_income"}
    assert page.find("input", attrs={"name": "adult1_income"})["value"] == "veel"
    assert page.find("input", attrs={"name": "adult2_birth"})["value"] == "01-01-1990"
    assert page.find(id="results-title") is None


def test_expired_schemes_refuse_with_a_clear_message(client, monkeypatch):
    on(monkeypatch, dt.date(2025, 2, 1))
    page = soup(client.get(URL))
    assert "Op dit moment is er geen regeling open" in page.get_text()
    assert page.find("form", attrs={"action": "http://testserver" + URL}) is None
    closed = page.find("h2", string="Regelingen die niet open zijn").find_next("ul").get_text()
    assert "U kon tot en met 30 december 2024 een verzoek doen" in closed
    assert "Een nieuw verzoek is niet meer mogelijk" in closed
    assert "Hardheidsregeling" not in closed  # a template is never offered


def test_the_check_stores_nothing(client, engine, monkeypatch):
    on(monkeypatch, dt.date(2024, 6, 3))

    def counts() -> dict[str, int]:
        with engine.connect() as connection:
            return {t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
                    for t in load_all().sorted_tables}  # fmt: skip

    before = counts()
    data = {
        "adult1_birth": YOUNG,
        "adult1_income": "1000",
        "rent": "650",
        "tenancy_start": "01-01-2015",
    }
    assert client.submit(URL, data).status_code == 200
    assert counts() == before
