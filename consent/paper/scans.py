"""The scan of a signed paper form: PDF, JPEG or PNG, checked by its first bytes.

Stored under ``settings.upload_dir/paper`` with a random name; staff of the
corporation download it from the entry page.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from consent.i18n import gettext as _
from consent.paper.models import PaperEntry
from consent.settings import Settings

MAX_BYTES = 10 * 1024 * 1024
FOLDER = "paper"
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


class ScanError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the magic bytes, or None when not allowed."""
    for magic, content_type, extension in SIGNATURES:
        if data.startswith(magic):
            return content_type, extension
    return None


def check(data: bytes) -> tuple[str, str]:
    if len(data) > MAX_BYTES:
        raise ScanError(_("De scan is te groot. Het mag hoogstens 10 MB zijn."))
    found = sniff(data)
    if found is None:
        raise ScanError(_("De scan moet een PDF, JPEG of PNG zijn."))
    return found


def store(settings: Settings, data: bytes) -> tuple[str, str]:
    """Save a checked scan; returns (stored name, content type)."""
    content_type, extension = check(data)
    folder = Path(settings.upload_dir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16) + extension
    (folder / name).write_bytes(data)
    return name, content_type


def path_of(settings: Settings, entry: PaperEntry) -> Path | None:
    if not entry.scan_name:
        return None
    path = Path(settings.upload_dir) / FOLDER / entry.scan_name
    return path if path.is_file() else None


def remove(settings: Settings, name: str) -> None:
    if name:
        (Path(settings.upload_dir) / FOLDER / name).unlink(missing_ok=True)
