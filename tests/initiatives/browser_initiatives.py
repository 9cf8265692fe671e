"""Browser visits (axe, reflow, CSP) for the initiative pages, and the data they need."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from consent.access_codes.models import Purpose
from consent.db import session_scope
from consent.initiatives import attachments, service
from consent.measures import Measure
from consent.settings import Settings
from tests.browser.seed import Seed
from tests.browser.visits import STAFF, Visit, submit
from tests.factories import tenancies, tenant_code

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WHO = "tenant:initiative"


def seed(engine: Engine, settings: Settings, data: Seed) -> None:
    tenancy = tenancies(engine, data.corporation_id)[0]
    data.codes["initiative"] = tenant_code(
        engine, settings, tenancy, Purpose.INITIATIVE, data.complex_id
    )
    with session_scope(engine) as session:
        initiative = service.create(
            session, settings, corporation_id=data.corporation_id, complex_id=data.complex_id,
            title="Isolatie van het dak", measures=[Measure.ROOF, Measure.SOLAR_PANELS],
            measure_text="Het platte dak boven de bergingen.", reason="Het is koud boven.",
            offer_cents=1250, actor="seed", tenancy_id=tenancy.id,
        )  # fmt: skip
        attachments.add(
            session, settings, initiative.id or 0, filename="dak.png", data=PNG, actor="seed"
        )
        service.open_for_signing(session, settings, initiative.id or 0, actor="seed")
        service.submit(session, settings, initiative.id or 0, actor="seed")
        # Open for signing, for a neighbour's keyboard walkthrough (test_browser_keyboard.py).
        collecting = service.create(
            session, settings, corporation_id=data.corporation_id, complex_id=data.complex_id,
            title="Een bankje bij de ingang", measures=[Measure.OTHER],
            measure_text="Een bankje naast de voordeur.", reason="Om even uit te rusten.",
            offer_cents=0, actor="seed", tenancy_id=tenancy.id,
        )  # fmt: skip
        service.open_for_signing(session, settings, collecting.id or 0, actor="seed")
    data.codes["initiative_keyboard"] = tenant_code(
        engine, settings, tenancies(engine, data.corporation_id)[1], Purpose.INITIATIVE,
        data.complex_id,
    )
    data.extra["initiatives"] = {"initiative_id": initiative.id, "collecting_id": collecting.id}


def _initiative(seed: Seed) -> dict[str, int]:
    return {"initiative_id": seed.extra["initiatives"]["initiative_id"]}


VISITS = [
    Visit("initiative-complex", "initiative_complex", who=WHO,
          params=lambda seed: {"object_id": seed.complex_id}, expect="main table caption",
          tenant_page=True),
    Visit("initiative-new", "initiative_new", who=WHO,
          params=lambda seed: {"object_id": seed.complex_id}, expect="main form", tenant_page=True),
    Visit("initiative-new-errors", "initiative_new", who=WHO,
          params=lambda seed: {"object_id": seed.complex_id},
          act=lambda page, seed: submit(page, {"#title": ""}),
          expect=".error-summary a[href='#title']", tenant_page=True),
    Visit("initiative-detail", "initiative_detail", who=WHO, params=_initiative,
          expect="main #history-title", tenant_page=True),
    Visit("staff-initiatives", "staff_initiatives", who=STAFF, expect="main table caption"),
    Visit("staff-initiative-detail", "staff_initiative_detail", who=STAFF, params=_initiative,
          expect="main #answer-title"),
    Visit("staff-initiative-new", "staff_initiative_new", who="staff:committee", expect="main form"),
]  # fmt: skip
