"""Made letter PDFs on disk: upload_dir/letters/<32 hex>.pdf, readable by this user only.

They hold personal codes, so they are deleted once the letters are posted, or unposted
after ``consent.paper.runs.PDF_KEPT``. Names are checked by ``consent.uploads.path_of``
(only names of its own pattern are ever opened).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from consent import uploads
from consent.settings import Settings

FOLDER = "letters"


def store(settings: Settings, data: bytes) -> str:
    """Write a PDF under a new random name; returns the name."""
    directory = Path(settings.upload_dir) / FOLDER
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = secrets.token_hex(16) + ".pdf"
    target = directory / name
    with target.open("xb") as handle:
        target.chmod(0o600)
        handle.write(data)
    return name


def path_of(settings: Settings, name: str) -> Path | None:
    """The stored file, or None when there is none (any more)."""
    if not name:
        return None
    path = uploads.path_of(settings, FOLDER, name)
    return path if path.is_file() else None


def remove(settings: Settings, name: str) -> None:
    if name:
        uploads.remove(settings, FOLDER, name)
