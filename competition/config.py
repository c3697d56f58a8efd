"""Settings read from the environment when the app is created (never at import time)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"

WEAK_SECRETS = {"", "dev", "secret", "changeme", "change-me", "development"}


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _count(name: str, default: int | None) -> int | None:
    """A whole number of at least 0 from the environment (``default`` when unset or empty)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise RuntimeError(f"{name} must be a whole number (0 or more), not {value!r}.")
    return int(value)


def _engine_options() -> dict:
    """Connection pool per process: ``DATABASE_POOL_SIZE`` and ``DATABASE_MAX_OVERFLOW`` when set (README,
    "Production": a sync worker uses one connection at a time), else SQLAlchemy's 5 + 10."""
    options: dict = {"pool_pre_ping": True}
    for name, option in (("DATABASE_POOL_SIZE", "pool_size"), ("DATABASE_MAX_OVERFLOW", "max_overflow")):
        value = _count(name, None)
        if value is not None:
            options[option] = value
    return options


def _secret_key(instance: Path, production: bool) -> str:
    """SECRET_KEY from the environment, else from ``instance/secret_key``, generated there on first run.

    Production refuses a missing or weak key rather than silently inventing one per host: several gunicorn
    hosts must share the same key.
    """
    key = os.environ.get("SECRET_KEY", "")
    if key:
        if production and (key in WEAK_SECRETS or len(key) < 32):
            raise RuntimeError("SECRET_KEY is too weak for production: use at least 32 random characters.")
        return key
    path = instance / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    if production:
        raise RuntimeError("Production needs SECRET_KEY in the environment (or instance/secret_key).")
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key


def load_config(overrides: dict | None = None) -> dict:
    """Build the configuration dict for ``create_app``; ``overrides`` win (tests pass them)."""
    overrides = dict(overrides or {})
    env = overrides.get("APP_ENV") or os.environ.get("APP_ENV", "development")
    production = env == "production"
    testing = bool(overrides.get("TESTING"))
    instance = Path(overrides.get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH") or INSTANCE)

    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'competition.db'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")

    redis_url = os.environ.get("REDIS_URL", "")
    config = {
        "APP_ENV": env,
        "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # Several deployments (or test runs) sharing one Redis keep their counters apart.
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", ""),
        # Reverse proxies in front of the app whose X-Forwarded-For/Proto/Host are believed (0: none).
        "TRUSTED_PROXIES": _count("TRUSTED_PROXIES", 0),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # The Chinese font embedded in certificates (empty: the first known system font).
        "CERTIFICATE_FONT": os.environ.get("CERTIFICATE_FONT", ""),
        # Who awards provincial competitions' certificates (a school contest's is its university's union).
        "ORGANIZER_NAME": os.environ.get("ORGANIZER_NAME", "省教育工会"),
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
        "ROSTER_MAX_BYTES": 10 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("COOKIE_SECURE", production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag("COOKIE_SECURE", production),
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "LANGUAGES": {"zh_Hans_CN": "简体中文", "en": "English"},
    }
    if not testing:
        config["SECRET_KEY"] = _secret_key(instance, production)
    config.update(overrides)
    return config
