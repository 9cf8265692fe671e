"""Evidence files on disk: the shared upload store (consent.uploads) in its own folder,
plus the names tenants and case workers see."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

from consent import uploads
from consent.settings import Settings
from consent.uploads import MAX_BYTES as MAX_UPLOAD_BYTES
from consent.uploads import SIGNATURES, Stored, UploadError, sniff

__all__ = ["MAX_UPLOAD_BYTES", "Stored", "UploadError", "sniff", "store", "read", "delete"]
SUBDIR = "rent_reductions"


def store(settings: Settings, content: bytes) -> uploads.Stored:
    """Check and write ``content``; raises UploadError when refused."""
    return uploads.store(settings, SUBDIR, content)


def path_for(settings: Settings, stored_name: str) -> Path:
    """The file's path; refuses any name the store did not make (no path tricks)."""
    return uploads.path_of(settings, SUBDIR, stored_name)


def read(settings: Settings, stored_name: str) -> bytes | None:
    path = path_for(settings, stored_name)
    return path.read_bytes() if path.exists() else None


def delete(settings: Settings, stored_name: str) -> None:
    uploads.remove(settings, SUBDIR, stored_name)


def clean_name(name: str) -> str:
    """A display name without folders or control characters, at most 200 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:200] or "bestand"


def display_name(original: str, content_type: str) -> str:
    """The cleaned name with the extension of the detected type (never '.exe' or '.html')."""
    ext = next(e for _m, t, e in SIGNATURES if t == content_type)
    stem = clean_name(original).rsplit(".", 1)[0][:190] or "bestand"
    return stem + ext


def disposition(name: str) -> str:
    """Content-Disposition: always a download, with an ASCII fallback name."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", clean_name(name)) or "bestand"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(clean_name(name))}"
