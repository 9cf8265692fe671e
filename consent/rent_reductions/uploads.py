"""Evidence files on disk: checked by content, stored with random names outside static/."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from consent.settings import Settings

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# The first bytes decide the type; the file name and the browser's content type do not.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
SUBDIR = "rent_reductions"
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
    size: int


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the file's first bytes, or None if not allowed."""
    for magic, content_type, ext in SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    return None


def directory(settings: Settings) -> Path:
    return Path(settings.upload_dir) / SUBDIR


def path_for(settings: Settings, stored_name: str) -> Path:
    """The file's path; refuses any name we did not make (no path tricks)."""
    if not _STORED.match(stored_name):
        raise ValueError("not a stored evidence name")
    return directory(settings) / stored_name


def store(settings: Settings, content: bytes) -> Stored:
    """Check and write ``content``; raises UploadError when refused."""
    if not content:
        raise UploadError("empty")
    if len(content) > MAX_UPLOAD_BYTES:
        raise UploadError("too_large")
    kind = sniff(content[:16])
    if kind is None:
        raise UploadError("type")
    content_type, ext = kind
    folder = directory(settings)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = secrets.token_hex(16) + ext
    target = folder / name
    with target.open("xb") as handle:
        handle.write(content)
    target.chmod(0o600)
    return Stored(name, content_type, len(content))


def read(settings: Settings, stored_name: str) -> bytes | None:
    path = path_for(settings, stored_name)
    return path.read_bytes() if path.exists() else None


def delete(settings: Settings, stored_name: str) -> None:
    path_for(settings, stored_name).unlink(missing_ok=True)


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
