"""`consent demo`: a database with a demo corporation, its staff and tenant codes."""

from __future__ import annotations

from sqlmodel import Session, col, select

from consent import rules_data
from consent.access_codes.models import Purpose
from consent.access_codes.service import issue
from consent.accounts.models import StaffUser
from consent.accounts.service import create_corporation, create_staff
from consent.db import make_engine, session_scope
from consent.housing.importer import import_file
from consent.housing.models import Corporation, Tenancy
from consent.migrate import upgrade
from consent.proposals.demo_data import open_demo_proposal
from consent.proposals.models import ProposalVoter
from consent.proposals.tally import THRESHOLD_NAME
from consent.settings import PROJECT_ROOT, Settings
from consent.timeutil import to_local, utcnow

SLUG = "demo"
PROPOSAL_COMPLEX = "C-0142"
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
        lines += _tenant_codes(session, settings)
    return lines


def _tenant_codes(session: Session, settings: Settings) -> list[str]:
    """Open the demo proposal for the demo complex and issue three codes for it."""
    corporation = session.exec(select(Corporation).where(Corporation.slug == SLUG)).one()
    threshold = rules_data.value_on(THRESHOLD_NAME, to_local(utcnow()).date())
    proposal = open_demo_proposal(session, corporation.id or 0, PROPOSAL_COMPLEX, threshold)
    voters = select(ProposalVoter.tenancy_id).where(ProposalVoter.proposal_id == proposal.id)
    tenancies = session.exec(
        select(Tenancy).where(col(Tenancy.id).in_(voters)).order_by(col(Tenancy.code)).limit(3)
    ).all()
    lines = [
        "",
        f"Open proposal {proposal.id} for {PROPOSAL_COMPLEX}: {proposal.title}",
        f"  voting closes {to_local(proposal.closes_at):%Y-%m-%d %H:%M} (Europe/Amsterdam)",
        "",
        "Tenant codes for this proposal (enter one on the start page):",
    ]
    for tenancy in tenancies:
        code = issue(
            session,
            settings,
            corporation_id=corporation.id or 0,
            tenancy_id=tenancy.id or 0,
            purpose=Purpose.PROPOSAL,
            object_id=proposal.id,
            actor="demo",
        )
        lines.append(f"  {tenancy.code} ({tenancy.language}): {code}")
    return lines
