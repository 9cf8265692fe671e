"""Every route of the app, read from its routing table, and what kind of visitor may use it.

ROUTE_KINDS must name every route: test_security_routes.py fails when a route is added
without being classified here, so no route goes unchecked. Kinds:

- public: anyone (the start page, sign-in, code requests, the open moving sign-up);
- tenant: needs a redeemed personal code for the route's purpose and object;
- staff: needs a signed-in staff member, scoped to their corporation;
- api: needs a bearer token, scoped to the token's corporation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from starlette.routing import BaseRoute, Mount, Route

PUBLIC, TENANT, STAFF, API = "public", "tenant", "staff", "api"
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}

ROUTE_KINDS: dict[str, str] = {
    # pages and accounts
    "home": PUBLIC,
    "accessibility": PUBLIC,
    "login": PUBLIC,
    "logout": PUBLIC,
    "staff_home": STAFF,
    "staff_account": STAFF,
    "staff_password": STAFF,
    "staff_sign_out_everywhere": STAFF,
    # personal codes
    "enter_code": PUBLIC,
    "tenant_home": TENANT,
    "code_request": PUBLIC,
    "code_request_sent": PUBLIC,
    # housing
    "complex_list": STAFF,
    "complex_detail": STAFF,
    # proposals
    "proposal_list": STAFF,
    "proposal_overview": STAFF,
    "proposal_new": STAFF,
    "proposal_detail": STAFF,
    "proposal_edit": STAFF,
    "proposal_tally": STAFF,
    "proposal_translation": STAFF,
    "proposal_non_respondents": STAFF,
    "proposal_non_respondents_csv": STAFF,
    "proposal_attachment": STAFF,
    "proposal_step": STAFF,
    "proposal_exclusion_add": STAFF,
    "proposal_exclusion_remove": STAFF,
    "proposal_codes": STAFF,
    "proposal_attachment_add": STAFF,
    "proposal_attachment_remove": STAFF,
    "proposal_question_add": STAFF,
    "proposal_question_remove": STAFF,
    "tenant_proposal": TENANT,
    "tenant_vote": TENANT,
    "tenant_vote_done": TENANT,
    "tenant_proposal_attachment": TENANT,
    # paper ballots, letters and home visits (proposals)
    "paper_hub": STAFF,
    "paper_letters": STAFF,
    "paper_letter": STAFF,
    "paper_settings": STAFF,
    "paper_pending_letters": STAFF,
    "paper_print_letters": STAFF,
    "paper_run": STAFF,
    "paper_run_pdf": STAFF,
    "paper_run_retry": STAFF,
    "paper_run_posted": STAFF,
    "paper_entry": STAFF,
    "paper_entry_confirm": STAFF,
    "paper_entry_reject": STAFF,
    "paper_entry_scan": STAFF,
    "paper_conflicts": STAFF,
    "paper_visits": STAFF,
    "paper_visits_pdf": STAFF,
    "paper_certificate": STAFF,
    # initiatives
    "initiative_complex": TENANT,
    "initiative_new": TENANT,
    "initiative_detail": TENANT,
    "initiative_action": TENANT,
    "initiative_attachment": TENANT,  # staff of the corporation may download it too
    "staff_initiatives": STAFF,
    "staff_initiative_new": STAFF,
    "staff_initiative_detail": STAFF,
    "staff_initiative_answer": STAFF,
    "staff_initiative_action": STAFF,
    # moving
    "moving_signup_start": PUBLIC,
    "moving_signup_open": PUBLIC,
    "moving_signup_received": PUBLIC,
    "moving_signup": TENANT,
    "moving_report": STAFF,
    "moving_export": STAFF,
    "moving_code": STAFF,
    "moving_programmes": STAFF,
    "moving_programme_new": STAFF,
    "moving_programme_edit": STAFF,
    "moving_programme_samples": STAFF,
    "moving_caseload": STAFF,
    "moving_case": STAFF,
    "moving_case_status": STAFF,
    "moving_case_assign": STAFF,
    "moving_case_next_action": STAFF,
    "moving_case_note": STAFF,
    "moving_case_link": STAFF,
    "moving_case_erase_care": STAFF,
    # rent reductions
    "rent_reduction_check": PUBLIC,
    "rent_reduction_start": TENANT,
    "rent_reduction_household": TENANT,
    "rent_reduction_income": TENANT,
    "rent_reduction_submit": TENANT,
    "rent_reduction_status": TENANT,
    "rent_reduction_evidence": TENANT,
    "rent_reduction_evidence_file": TENANT,
    "rent_reduction_evidence_remove": TENANT,
    "rent_reduction_answer": TENANT,
    "rent_reduction_letter": TENANT,
    "rent_reduction_export": TENANT,
    "rr_schemes": STAFF,
    "rr_scheme_toggle": STAFF,
    "rr_queue": STAFF,
    "rr_case": STAFF,
    "rr_letter": STAFF,
    "rr_evidence_file": STAFF,
    "rr_act": STAFF,
    # API (/api/v1)
    "openapi": PUBLIC,
    "list_complexes": API,
    "create_complex": API,
    "read_complex": API,
    "api_proposal_create": API,
    "api_proposal_list": API,
    "api_proposal": API,
    "api_proposal_open": API,
    "api_proposal_close": API,
    "api_proposal_exclusions": API,
    "api_proposal_codes": API,
    "api_proposal_tally": API,
    "api_proposal_ballots": API,
    "api_initiatives": API,
    "api_initiative": API,
    "api_initiative_answer": API,
    "api_moving_signups": API,
    "api_moving_signup": API,
    "api_rent_reductions": API,
    "api_rent_reduction": API,
}

PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass(frozen=True)
class AppRoute:
    name: str
    path: str  # the full path template, e.g. /medewerkers/voorstellen/{proposal_id:int}
    methods: frozenset[str]

    @property
    def kind(self) -> str | None:
        return ROUTE_KINDS.get(self.name)

    @property
    def params(self) -> list[str]:
        return PARAM.findall(self.path)

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def state_changing(self) -> set[str]:
        return set(self.methods) & STATE_CHANGING

    @property
    def readable(self) -> bool:
        return "GET" in self.methods

    def url(self, values: dict[str, str]) -> str:
        return PARAM.sub(lambda m: values[m.group(1)], self.path)


def walk(routes: list[BaseRoute], prefix: str = "") -> Iterator[AppRoute]:
    """Every endpoint, recursing into mounts; the static files are skipped."""
    for route in routes:
        if isinstance(route, Mount):
            if route.name == "static":
                continue
            yield from walk(list(route.routes), prefix + route.path)
        elif isinstance(route, Route):
            yield AppRoute(route.name, prefix + route.path, frozenset(route.methods or ()))
        else:  # a websocket or an unknown kind of route: it must be classified by hand
            yield AppRoute(getattr(route, "name", repr(route)), prefix, frozenset())


def app_routes(app: object) -> list[AppRoute]:
    return list(walk(list(app.routes)))  # type: ignore[attr-defined]


def of_kind(app: object, kind: str) -> list[AppRoute]:
    return [r for r in app_routes(app) if r.kind == kind]
