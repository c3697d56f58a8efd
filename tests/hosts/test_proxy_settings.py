"""The settings of several hosts behind a reverse proxy: X-Forwarded-* believed only from the configured
number of proxies (ProxyFix), the connection pool of a worker, the rate limiter's key prefix, and an app that
opens no database connection while it is created (so that `gunicorn --preload` forks none)."""

from __future__ import annotations

import pytest
from flask import jsonify, request
from flask_limiter.util import get_remote_address

from competition import create_app
from competition.config import load_config
from competition.extensions import db

FORWARDED = {
    "X-Forwarded-For": "203.0.113.9, 198.51.100.7",  # a forged first address, then the one the proxy saw
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "competition.example.edu.cn",
}


def _app(tmp_path, **config):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'proxy.db'}",
            "INSTANCE_PATH": str(tmp_path),
            "RATELIMIT_STORAGE_URI": "memory://",
            **config,
        }
    )


def _seen(app) -> dict:
    """What the app makes of a request from 127.0.0.1 carrying ``FORWARDED``."""

    def probe():
        return jsonify(
            address=request.remote_addr,
            limiter_key=get_remote_address(),
            scheme=request.scheme,
            host=request.host,
        )

    app.add_url_rule("/_probe", "probe", probe)
    return app.test_client().get("/_probe", headers=FORWARDED).get_json()


@pytest.mark.parametrize(
    ("proxies", "address", "scheme", "host"),
    [
        (0, "127.0.0.1", "http", "localhost"),  # the default: no forwarded header is believed
        (1, "198.51.100.7", "https", "competition.example.edu.cn"),  # the address the one proxy appended
        # Two proxies: the address the first one appended; one Proto and one Host value are too few, ignored.
        (2, "203.0.113.9", "http", "localhost"),
    ],
)
def test_forwarded_headers_count_only_behind_the_configured_proxies(tmp_path, proxies, address, scheme, host):
    seen = _seen(_app(tmp_path, TRUSTED_PROXIES=proxies))
    assert seen == {"address": address, "limiter_key": address, "scheme": scheme, "host": host}


def test_creating_the_app_opens_no_database_connection(tmp_path):
    app = _app(tmp_path)
    with app.app_context():
        pool = db.engine.pool
        assert (pool.checkedin(), pool.checkedout()) == (0, 0)


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in ("TRUSTED_PROXIES", "DATABASE_POOL_SIZE", "DATABASE_MAX_OVERFLOW", "RATELIMIT_KEY_PREFIX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    return monkeypatch


def test_proxies_are_a_count_from_the_environment(env):
    assert load_config()["TRUSTED_PROXIES"] == 0
    env.setenv("TRUSTED_PROXIES", "1")
    assert load_config()["TRUSTED_PROXIES"] == 1
    for wrong in ("-1", "one", "1.5"):
        env.setenv("TRUSTED_PROXIES", wrong)
        with pytest.raises(RuntimeError, match="TRUSTED_PROXIES"):
            load_config()


def test_the_pool_of_a_worker_and_the_limiters_prefix_come_from_the_environment(env):
    config = load_config()
    assert config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}  # SQLAlchemy's 5 + 10
    assert config["RATELIMIT_KEY_PREFIX"] == ""
    env.setenv("DATABASE_POOL_SIZE", "1")
    env.setenv("DATABASE_MAX_OVERFLOW", "1")
    env.setenv("RATELIMIT_KEY_PREFIX", "staging")
    config = load_config()
    assert config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True, "pool_size": 1, "max_overflow": 1}
    assert config["RATELIMIT_KEY_PREFIX"] == "staging"
