"""The scan of a signed paper form, kept in the shared upload store (consent.uploads).

Staff of the corporation download it from the entry page.
"""

from __future__ import annotations

from pathlib import Path

from consent import uploads
from consent.i18n import gettext as _
from consent.paper.models import PaperEntry
from consent.settings import Settings
from consent.uploads import MAX_BYTES

__all__ = ["MAX_BYTES", "ScanError", "check", "store", "path_of", "remove"]
FOLDER = "paper"


class ScanError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check(data: bytes) -> tuple[str, str]:
    """(content type, extension) of an acceptable scan; ScanError with a message otherwise."""
    try:
        return uploads.check(data)
    except uploads.UploadError as exc:
        if exc.reason == "too_large":
            raise ScanError(_("De scan is te groot. Het mag hoogstens 10 MB zijn.")) from exc
        raise ScanError(_("De scan moet een PDF, JPEG of PNG zijn.")) from exc


def store(settings: Settings, data: bytes) -> tuple[str, str]:
    """Save a checked scan; returns (stored name, content type)."""
    check(data)
    stored = uploads.store(settings, FOLDER, data)
    return stored.stored_name, stored.content_type


def path_of(settings: Settings, entry: PaperEntry) -> Path | None:
    if not entry.scan_name:
        return None
    path = uploads.path_of(settings, FOLDER, entry.scan_name)
    return path if path.is_file() else None


def remove(settings: Settings, name: str) -> None:
    if name:
        uploads.remove(settings, FOLDER, name)
