"""The framework's ceiling: a bare Starlette app returning one fixed HTML page.

The page has BARE_PAGE_BYTES bytes (benchmarks/http_bench.py sets it to the size of the tenant
proposal page measured in the same run). Served like the real app: uvicorn, uvloop,
httptools, the same number of workers.
"""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

SIZE = int(os.environ.get("BARE_PAGE_BYTES", "8600"))
HEAD = b"<!doctype html><html lang=nl><head><meta charset=utf-8><title>Voorstel</title></head><body><p>"
TAIL = b"</p></body></html>"
PAGE = HEAD + b"x" * max(0, SIZE - len(HEAD) - len(TAIL)) + TAIL


async def page(_request: Request) -> Response:
    return HTMLResponse(PAGE)


app = Starlette(routes=[Route("/", page), Route("/voorstel/{object_id:int}", page)])
