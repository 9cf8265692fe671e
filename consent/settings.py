"""One typed settings object, read from CONSENT_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
DEMO_SECRET = "demo-only-secret-not-for-production"  # noqa: S105 - refused outside the demo
MIN_SECRET_LENGTH = 16


def bundled(name: str) -> Path:
    """templates, static or locales: in the package when installed from a wheel (setup.py
    copies them to consent/_bundled), else the top-level folder of the source tree."""
    packaged = PACKAGE_DIR / "_bundled" / name
    return packaged if packaged.is_dir() else PROJECT_ROOT / name


class ConfigError(Exception):
    """A setting is missing or invalid."""


def _env(name: str, default: str = "") -> str:
    return os.environ.get(f"CONSENT_{name}", default)


def _int(name: str, default: int) -> int:
    raw = _env(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"CONSENT_{name} must be a whole number, got {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///./consent.db"
    secret_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    session_max_age: int = 8 * 3600
    https_only: bool = False
    upload_dir: Path = field(default_factory=lambda: Path("./uploads"))
    mail_backend: str = "console"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "consent@localhost"
    code_valid_days: int = 90
    login_attempts_per_window: int = 5
    code_attempts_per_client: int = 10
    code_attempts_per_code: int = 5
    throttle_window_seconds: int = 900
    evidence_retention_days: int = 183
    scan_retention_days: int = 183  # paper ballot scans, counted from the vote's close

    @classmethod
    def from_env(cls, *, demo: bool = False) -> Settings:
        secret = _env("SECRET_KEY")
        if not secret and demo:
            secret = DEMO_SECRET
        elif not demo and (len(secret) < MIN_SECRET_LENGTH or secret == DEMO_SECRET):
            problem = "is not set" if not secret else "is too short or the demo's key"
            raise ConfigError(
                f"CONSENT_SECRET_KEY {problem}; set a random value of at least "
                f"{MIN_SECRET_LENGTH} characters "
                "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        backend = _env("MAIL_BACKEND", "console")
        if backend not in ("console", "smtp"):
            raise ConfigError(f"CONSENT_MAIL_BACKEND must be 'console' or 'smtp', got {backend!r}")
        return cls(
            database_url=_env("DATABASE_URL", cls.database_url),
            secret_key=secret,
            base_url=_env("BASE_URL", cls.base_url).rstrip("/"),
            session_max_age=_int("SESSION_MAX_AGE", cls.session_max_age),
            https_only=_env("HTTPS_ONLY") in ("1", "true", "yes"),
            upload_dir=Path(_env("UPLOAD_DIR", "./uploads")),
            mail_backend=backend,
            smtp_host=_env("SMTP_HOST", cls.smtp_host),
            smtp_port=_int("SMTP_PORT", cls.smtp_port),
            smtp_user=_env("SMTP_USER"),
            smtp_password=_env("SMTP_PASSWORD"),
            smtp_starttls=_env("SMTP_STARTTLS") in ("1", "true", "yes"),
            mail_from=_env("MAIL_FROM", cls.mail_from),
            code_valid_days=_int("CODE_VALID_DAYS", cls.code_valid_days),
            login_attempts_per_window=_int("LOGIN_ATTEMPTS", cls.login_attempts_per_window),
            code_attempts_per_client=_int("CODE_ATTEMPTS_PER_CLIENT", cls.code_attempts_per_client),
            code_attempts_per_code=_int("CODE_ATTEMPTS_PER_CODE", cls.code_attempts_per_code),
            throttle_window_seconds=_int("THROTTLE_WINDOW_SECONDS", cls.throttle_window_seconds),
            evidence_retention_days=_int("EVIDENCE_RETENTION_DAYS", cls.evidence_retention_days),
            scan_retention_days=_int("SCAN_RETENTION_DAYS", cls.scan_retention_days),
        )
