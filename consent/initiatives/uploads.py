"""Photos and documents of an initiative, kept in the shared upload store (consent.uploads)."""

from __future__ import annotations

import re
from pathlib import Path

from consent import uploads
from consent.settings import Settings
from consent.uploads import MAX_BYTES, UploadError, check, sniff

__all__ = ["MAX_BYTES", "MAX_FILES", "UploadError", "check", "sniff", "store", "path_of", "remove"]
MAX_FILES = 10
SUBDIR = "initiatives"


def clean_name(filename: str, extension: str) -> str:
    """A display name without paths or odd characters, with the real extension ('.pdf')."""
    base = Path(filename.replace("\\", "/")).name
    stem = re.sub(r"[^\w.\- ]+", "", Path(base).stem, flags=re.UNICODE).strip(" .")[:80]
    return f"{stem or 'bijlage'}{extension}"


def store(settings: Settings, data: bytes) -> str:
    """Write a checked file under a random name; returns that name."""
    return uploads.store(settings, SUBDIR, data).stored_name


def path_of(settings: Settings, stored_name: str) -> Path:
    return uploads.path_of(settings, SUBDIR, stored_name)


def remove(settings: Settings, stored_name: str) -> None:
    uploads.remove(settings, SUBDIR, stored_name)
