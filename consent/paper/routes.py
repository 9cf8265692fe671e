"""The paper domain's HTML routes (letters, letter runs, paper ballots, home visits, certificate)."""

from __future__ import annotations

from consent.paper import routes_entry, routes_letters, routes_result, routes_runs

routes = [*routes_letters.routes, *routes_runs.routes, *routes_entry.routes,
          *routes_result.routes]  # fmt: skip
