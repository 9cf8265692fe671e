"""The paper domain's HTML routes (letters, paper ballots, home visits, certificate)."""

from __future__ import annotations

from consent.paper import routes_entry, routes_letters, routes_result

routes = [*routes_letters.routes, *routes_entry.routes, *routes_result.routes]
