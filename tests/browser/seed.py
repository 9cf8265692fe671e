"""The data the browser suite's server starts with, made by the same services as the app's.

Domains add their own data in `tests/<domain>/browser_<domain>.py` with a function
`seed(engine, settings, data: Seed) -> None` that stores what its visits need in
`data.codes` (named tenant codes, used as who="tenant:<name>") and `data.extra[<domain>]`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy.engine import Engine

from consent.settings import Settings
from tests.factories import PASSWORD, corporation_with_complex, staff, tenancies, tenant_code

TESTS = Path(__file__).resolve().parent.parent
SLUG = "acme"
ROLES = ("admin", "project_leader", "broker", "case_worker", "committee")


@dataclass
class Seed:
    corporation_id: int
    complex_id: int
    complex_code: str
    password: str = PASSWORD
    codes: dict[str, str] = field(default_factory=dict)  # "tenant" is a plain home code
    staff: dict[str, str] = field(default_factory=dict)  # role -> email, for who="staff:<role>"
    extra: dict[str, Any] = field(default_factory=dict)  # per domain, filled by its seeder

    @property
    def tenant_code(self) -> str:
        return self.codes["tenant"]

    @property
    def staff_email(self) -> str:
        return self.staff["project_leader"]


def domain_modules() -> Iterator[ModuleType]:
    """tests/<domain>/browser_<domain>.py modules: extra visits and seed data per domain."""
    for path in sorted(TESTS.glob("*/browser_*.py")):
        if path.parent.name != "browser":
            yield importlib.import_module(f"tests.{path.parent.name}.{path.stem}")


def seed(engine: Engine, settings: Settings) -> Seed:
    world = corporation_with_complex(engine, SLUG, homes=12, vacant=2)
    data = Seed(
        corporation_id=world.corporation.id or 0,
        complex_id=world.complex.id or 0,
        complex_code=world.complex.code,
    )
    for role in ROLES:
        complex_code = world.complex.code if role == "committee" else None
        data.staff[role] = staff(engine, SLUG, role, complex_code=complex_code).email
    tenancy = tenancies(engine, data.corporation_id)[0]
    data.codes["tenant"] = tenant_code(engine, settings, tenancy)
    for module in domain_modules():
        seeder = getattr(module, "seed", None)
        if seeder is not None:
            seeder(engine, settings, data)
    return data
