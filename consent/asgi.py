"""The ASGI application for uvicorn workers, built from the environment."""

from __future__ import annotations

import os

from consent.app import create_app
from consent.settings import Settings

app = create_app(Settings.from_env(demo=os.environ.get("CONSENT_DEMO") == "1"))
