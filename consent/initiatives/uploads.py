"""Photos and documents: the content decides the type (magic bytes), never the name."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from consent.settings import Settings

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
SUBDIR = "initiatives"


class UploadError(ValueError):
    """Why a file was refused: 'type', 'size', 'empty' or 'count'."""


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) for a PDF, JPEG or PNG; None for anything else."""
    for magic, content_type, extension in SIGNATURES:
        if data.startswith(magic):
            return content_type, extension
    return None


def check(data: bytes) -> tuple[str, str]:
    if not data:
        raise UploadError("empty")
    if len(data) > MAX_BYTES:
        raise UploadError("size")
    found = sniff(data)
    if found is None:
        raise UploadError("type")
    return found


def clean_name(filename: str, extension: str) -> str:
    """A display name without paths or odd characters, with the real extension."""
    base = Path(filename.replace("\\", "/")).name
    stem = re.sub(r"[^\w.\- ]+", "", Path(base).stem, flags=re.UNICODE).strip(" .")[:80]
    return f"{stem or 'bijlage'}.{extension}"


def folder(settings: Settings) -> Path:
    return Path(settings.upload_dir) / SUBDIR


def store(settings: Settings, data: bytes, extension: str) -> str:
    """Write the file under a random name; returns that name."""
    target = folder(settings)
    target.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{extension}"
    (target / name).write_bytes(data)
    return name


def path_of(settings: Settings, stored_name: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}\.(pdf|jpg|png)", stored_name):
        raise UploadError("type")
    return folder(settings) / stored_name


def remove(settings: Settings, stored_name: str) -> None:
    path_of(settings, stored_name).unlink(missing_ok=True)
