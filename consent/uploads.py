"""Uploaded files (PDF, JPEG, PNG): the first bytes decide the type, never the name.

Files live under ``settings.upload_dir/<folder>`` (never under static/) with random
names; only names this module made are ever opened again.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from consent.settings import Settings

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
_STORED = re.compile(r"^[0-9a-f]{32}\.(pdf|jpg|png)$")


class UploadError(ValueError):
    """The file is refused; ``reason`` is 'empty', 'too_large' or 'type'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Stored:
    stored_name: str
    content_type: str
    extension: str
    size: int


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension such as '.pdf') from the first bytes; None if not allowed."""
    for magic, content_type, extension in SIGNATURES:
        if data.startswith(magic):
            return content_type, extension
    return None


def check(data: bytes) -> tuple[str, str]:
    """(content type, extension) of an acceptable file; raises UploadError otherwise."""
    if not data:
        raise UploadError("empty")
    if len(data) > MAX_BYTES:
        raise UploadError("too_large")
    found = sniff(data)
    if found is None:
        raise UploadError("type")
    return found


def path_of(settings: Settings, folder: str, stored_name: str) -> Path:
    """The file's path; refuses any name this module did not make (no path tricks)."""
    if not _STORED.match(stored_name):
        raise UploadError("type")
    return Path(settings.upload_dir) / folder / stored_name


def store(settings: Settings, folder: str, data: bytes) -> Stored:
    """Check ``data`` and write it under a new random name, readable by this user only."""
    content_type, extension = check(data)
    directory = Path(settings.upload_dir) / folder
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = secrets.token_hex(16) + extension
    target = directory / name
    with target.open("xb") as handle:
        handle.write(data)
    target.chmod(0o600)
    return Stored(name, content_type, extension, len(data))


def remove(settings: Settings, folder: str, stored_name: str) -> None:
    path_of(settings, folder, stored_name).unlink(missing_ok=True)
