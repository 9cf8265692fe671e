"""Tenant proposal page and vote POST against `consent serve --workers 2`, and the bare ceiling.

    PYTHONPATH=. python benchmarks/http.py [--seconds 10] [--connections 50] [--postgres]
                                            [--driver wrk|httpx] [--workers 2]

For each database (a temporary SQLite file; with --postgres also a fresh PostgreSQL
database on CONSENT_TEST_POSTGRES, dropped afterwards):

1. seeds one complex with an open proposal and a personal code per home;
2. serves it with `consent serve --workers 2` (uvicorn, uvloop, httptools) on 127.0.0.1;
3. every connection enters its own tenant's code (its own session cookie);
4. drives the tenant proposal page (GET) and then the vote POST (each connection's
   votes alternate agree/disagree, so every POST is a real change) for --seconds each;
5. serves benchmarks/bare_app.py the same way (a fixed page of the measured page's size)
   and drives it with the same client settings.

Prints requests/s, p50/p99 latency, errors and the ratio to the bare rate, with PASS/FAIL
against the targets (vote POST >= 0.03 of bare with p99 < 250 ms and no errors; page
>= 0.10 of bare). wrk (one thread per connection, a Lua script per tenant) is used when
installed, else an asyncio httpx driver. Every run is bounded by --seconds; the servers
are stopped at the end.
"""

from __future__ import annotations

import os
import sys

if __name__ == "http":
    # This file is named http.py, and a script run from this folder has the folder first
    # on sys.path: `import http` (by httpx, starlette, uvicorn...) found this file instead
    # of the standard library. Load the real package in its place, so every script here
    # keeps working.
    import importlib.util
    import sysconfig

    _std = os.path.join(sysconfig.get_paths()["stdlib"], "http")
    _spec = importlib.util.spec_from_file_location(
        "http", os.path.join(_std, "__init__.py"), submodule_search_locations=[_std]
    )
    assert _spec is not None and _spec.loader is not None
    _real = importlib.util.module_from_spec(_spec)
    sys.modules["http"] = _real
    _spec.loader.exec_module(_real)
elif __name__ == "__main__":
    _here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]
    sys.path.insert(0, os.path.dirname(_here))
    from benchmarks.http_bench import main

    sys.exit(main())
