"""Configuration from the environment: secrets, database URLs, cookies, the rate limiter's storage."""

from __future__ import annotations

import pytest

from competition.config import load_config


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "APP_ENV", "COOKIE_SECURE", "INSTANCE_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    return monkeypatch


def test_secret_key_is_generated_once_into_the_instance_folder(env, tmp_path):
    first = load_config()["SECRET_KEY"]
    assert len(first) >= 48
    assert (tmp_path / "secret_key").read_text().strip() == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
    assert load_config()["SECRET_KEY"] == first


def test_production_refuses_a_missing_or_weak_secret(env):
    env.setenv("APP_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_config()
    env.setenv("SECRET_KEY", "dev")
    with pytest.raises(RuntimeError, match="too weak"):
        load_config()
    env.setenv("SECRET_KEY", "x" * 40)
    config = load_config()
    assert config["SESSION_COOKIE_SECURE"] is True and config["REMEMBER_COOKIE_SECURE"] is True


def test_default_database_is_sqlite_in_the_instance_folder(env, tmp_path):
    assert load_config()["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'competition.db'}"


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_postgres_urls_use_psycopg3(env, given, used):
    env.setenv("DATABASE_URL", given)
    assert load_config()["SQLALCHEMY_DATABASE_URI"] == used


def test_rate_limiter_uses_redis_when_configured(env):
    assert load_config()["RATELIMIT_STORAGE_URI"] == "memory://"
    env.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert load_config()["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_cookies_are_http_only_and_same_site(env):
    config = load_config()
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["SESSION_COOKIE_SECURE"] is False  # development over http://127.0.0.1
    env.setenv("COOKIE_SECURE", "1")
    assert load_config()["SESSION_COOKIE_SECURE"] is True
