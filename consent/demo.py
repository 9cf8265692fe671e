"""`consent demo`: a database with a demo corporation, its staff and tenant codes."""

from __future__ import annotations

from sqlmodel import Session, col, select

from consent.access_codes.models import Purpose
from consent.access_codes.service import issue
from consent.accounts.models import StaffUser
from consent.accounts.service import create_corporation, create_staff
from consent.db import make_engine, session_scope
from consent.housing.importer import import_file
from consent.housing.models import Corporation, Tenancy
from consent.migrate import upgrade
from consent.settings import PROJECT_ROOT, Settings

SLUG = "demo"
CSV = PROJECT_ROOT / "consent" / "data" / "complex-de-linde.csv"
PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - printed on purpose, demo only
STAFF = [
    ("admin@demo.example", "admin", None),
    ("projectleider@demo.example", "project_leader", None),
    ("makelaar@demo.example", "broker", None),
    ("casemanager@demo.example", "case_worker", None),
    ("commissie@demo.example", "committee", "C-0142"),
]


def load_demo(settings: Settings) -> list[str]:
    """Create (or reuse) the demo data and return the lines to print."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with session_scope(engine) as session:
        if session.exec(select(Corporation).where(Corporation.slug == SLUG)).first() is None:
            create_corporation(session, SLUG, "Woonstichting Demo", actor="demo")
    result = import_file(engine, CSV, SLUG, actor="demo")
    if result.errors:
        raise RuntimeError(f"demo data did not import: {result.errors[0].reason}")
    lines = [f"database: {settings.database_url}", result.summary(), "", "Staff sign-ins:"]
    with session_scope(engine) as session:
        for email, role, complex_code in STAFF:
            if session.exec(select(StaffUser).where(StaffUser.email == email)).first() is None:
                create_staff(
                    session,
                    email=email,
                    role=role,
                    corporation_slug=SLUG,
                    password=PASSWORD,
                    actor="demo",
                    complex_code=complex_code,
                )
            lines.append(f"  {role:<15} {email}  password: {PASSWORD}")
        lines += ["", "Tenant codes (enter one on the start page):"]
        lines += _tenant_codes(session, settings)
    return lines


def _tenant_codes(session: Session, settings: Settings) -> list[str]:
    corporation = session.exec(select(Corporation).where(Corporation.slug == SLUG)).one()
    tenancies = session.exec(
        select(Tenancy)
        .where(Tenancy.corporation_id == corporation.id, col(Tenancy.end_date).is_(None))
        .order_by(col(Tenancy.code))
        .limit(3)
    ).all()
    lines = []
    for tenancy in tenancies:
        code = issue(
            session,
            settings,
            corporation_id=corporation.id or 0,
            tenancy_id=tenancy.id or 0,
            purpose=Purpose.PROPOSAL,
            object_id=None,
            actor="demo",
        )
        lines.append(f"  {tenancy.code} ({tenancy.language}): {code}")
    return lines
