"""Two hosts of the app: a throw-away PostgreSQL database, the Redis of the rate limiter, a small world built
through the services, and two gunicorn processes serving the same code on two ports of 127.0.0.1 with the
README's production settings ("Production": sync workers, the pool of a sync worker, one proxy trusted).

PostgreSQL is the server of TEST_DATABASE_URL when that is PostgreSQL, else PG_HOST/PG_PORT/PG_USER
(127.0.0.1:5432 and postgres, as for `make test-pg`); the test always makes a database of its own there and
drops it at the end (the suite's database is emptied between tests by its fixtures, which must not meet
gunicorn's connections). Redis is TEST_REDIS_URL, else redis://127.0.0.1:6379/0, with the counters of this
run under a key prefix of their own. Without either service the tests are skipped with the reason, unless
REQUIRE_TWO_HOSTS is set (`.ci/run` sets it): then they fail.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.hosts.http import get_json

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(5360, 5380)
LOGIN_LIMIT = 4  # failed log-ins a client may make per minute, on all hosts together
# README "Production", two cores: 4 sync workers, each with a pool of one connection and one spare. For the
# test only: two masters on one machine have no control socket (gunicorn's default path is one per user,
# they would share it), and a stop waits 5 s at most for workers (the test's requests are over by then;
# tearing down a worker's interpreter takes seconds on a busy machine, and no request is cut short).
GUNICORN = ["-w", "4", "-k", "sync", "--timeout", "60", "--preload"]
TEST_ONLY = ["--no-control-socket", "--graceful-timeout", "5"]
POOL = {"DATABASE_POOL_SIZE": "1", "DATABASE_MAX_OVERFLOW": "1"}


def unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_TWO_HOSTS"):
        pytest.fail(f"REQUIRE_TWO_HOSTS is set but {reason}")
    pytest.skip(reason)


# --- the services -------------------------------------------------------------------------------------------


def _server_url():
    """The PostgreSQL server to make the database on, as a SQLAlchemy URL of its maintenance database."""
    given = os.environ.get("TEST_DATABASE_URL", "")
    if given.startswith("postgresql"):
        return make_url(given).set(drivername="postgresql+psycopg", database="postgres")
    host, port = os.environ.get("PG_HOST", "127.0.0.1"), int(os.environ.get("PG_PORT", "5432"))
    user = os.environ.get("PG_USER", "postgres")
    return make_url(f"postgresql+psycopg://{user}@{host}:{port}/postgres")


def _admin(server, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        host=server.host,
        port=server.port or 5432,
        user=server.username,
        password=server.password,
        dbname=server.database,
        autocommit=True,
        connect_timeout=5,
    ) as conn:
        conn.execute(sql)


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    server = _server_url()
    name = f"two_hosts_{os.getpid()}"
    try:
        _admin(server, f'CREATE DATABASE "{name}"')
    except Exception as error:  # whatever stops it (no server, refused, no such role): no PostgreSQL here
        unavailable(f"no PostgreSQL server answers at {server.host}:{server.port} ({error})")
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def redis_settings() -> Iterator[tuple[str, str]]:
    """(the Redis URL, a key prefix of this run); the run's counters are deleted at the end."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        unavailable(f"no Redis answers at {url} ({error})")
    prefix = f"two-hosts-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        yield url, prefix
    finally:
        for key in client.scan_iter(match=f"*{prefix}*"):
            client.delete(key)
        client.close()


# --- the world ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    competition_id: int
    group_id: int
    exam_round_id: int
    practical_round_id: int
    criterion_id: int
    entry_id: int
    screen_token: str


@pytest.fixture(scope="module")
def hosts_app(database_url, tmp_path_factory):
    """An app of the test process on the hosts' database, its schema made by the migrations (as `flask
    --app wsgi init-db` does): the world is built and inspected through it."""
    from flask_migrate import upgrade

    from competition import create_app
    from competition.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": secrets.token_urlsafe(48),
            "INSTANCE_PATH": str(tmp_path_factory.mktemp("hosts-instance")),
            "RATELIMIT_STORAGE_URI": "memory://",  # never the shared Redis: the suite resets this limiter
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def world(hosts_app) -> World:
    """ZJU with 李老师 (account zju_staff) and a judge (judge_zju); the organizer ``org``; a school drill in
    scoring: 笔试 (exam, 40%, open now) and 实操 (judged, 60%), 李老师 drawn 1 and on stage in 实操."""
    from competition.enums import Role
    from competition.extensions import db
    from competition.services import live, panels, stage
    from tests.builders import Factory, advance, exam_round, make_exam_contest, user

    practical = {"name": "实操", "weight": 0.6, "criteria": [{"name": "操作规范", "max_score": 100}]}
    with hosts_app.app_context():
        make = Factory()
        zju = make.university("ZJU", "浙江大学")
        make.user("org", Role.ORGANIZER)
        make.user("judge_zju", Role.JUDGE, zju)
        teacher = make.staff(zju, "00123", "李老师")
        make.user("zju_staff", Role.STAFF, zju, staff=teacher)
        competition, (entry,) = make_exam_contest(
            [teacher],
            rounds=[exam_round(weight=0.4), practical],
            status="registration_closed",
            level="school",
            university="ZJU",
        )
        entry.draw_no = 1
        group = competition.groups[0]
        panels.assign_judge(
            competition=competition, username="judge_zju", group_ids=[group.id], by=user("org")
        )
        db.session.commit()
        advance(competition, "scoring")
        exam, judged = competition.rounds
        stage.set_stage(
            competition=competition,
            group_id=group.id,
            round_id=judged.id,
            entry_id=entry.id,
            screen="scoring",
            by=user("org"),
        )
        token = live.screen_token(competition, group, by=user("org"))
        db.session.commit()
        made = World(competition.id, group.id, exam.id, judged.id, judged.criteria[0].id, entry.id, token)
        db.session.remove()
    return made


# --- the two hosts ------------------------------------------------------------------------------------------


def _listening_socket() -> socket.socket:
    """A socket bound to a port of 5360-5379 (from an offset of this process, so that runs side by side seldom
    try the same ones), handed to gunicorn as ``fd://``: bound here, it is ours, with no race for the port."""
    for n in range(len(PORTS)):
        port = PORTS[(os.getpid() + n) % len(PORTS)]
        sock = socket.socket()
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            sock.close()
            continue
        sock.set_inheritable(True)
        return sock
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def _wait_until_up(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn at {url} stopped:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            get_json(url + "/api/v1/auth/csrf")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(
        f"gunicorn at {url} did not answer within 60 s:\n{log.read_text(errors='replace')[-3000:]}"
    )


def _stop(processes: list[subprocess.Popen]) -> None:
    """Both at once, by their pids: SIGTERM, and what still runs 10 s later is killed (tearing down the
    interpreters of a master and its workers takes seconds on a busy machine; no request is left by then)."""
    running = [p for p in processes if p.poll() is None]
    for process in running:
        process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop: the master ends its workers
    deadline = time.monotonic() + 10
    for process in running:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session (start_new_session): master and workers
            process.wait()


@pytest.fixture(scope="module")
def hosts(redis_settings, database_url, world, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """Host A and host B: two gunicorn masters on two ports, one SECRET_KEY, one database, one Redis, and an
    instance folder each (so the key cannot come from a shared ``instance/secret_key``)."""
    redis_url, prefix = redis_settings
    shared = {
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "RATELIMIT_KEY_PREFIX": prefix,
        "LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute",
        "TRUSTED_PROXIES": "1",  # as behind one nginx: the client's address comes from X-Forwarded-For
        "COOKIE_SECURE": "0",  # plain HTTP on 127.0.0.1
        **POOL,
    }
    processes, urls, logs = [], [], []
    try:
        for name in ("a", "b"):
            folder = tmp_path_factory.mktemp(f"host-{name}")
            log = folder / "gunicorn.log"
            env = {**os.environ, **shared, "INSTANCE_PATH": str(folder)}
            with _listening_socket() as sock, log.open("wb") as out:
                command = [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    *GUNICORN,
                    *TEST_ONLY,
                    "-b",
                    f"fd://{sock.fileno()}",
                ]
                processes.append(
                    subprocess.Popen(
                        [*command, "--chdir", str(ROOT), "wsgi:app"],
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        pass_fds=[sock.fileno()],
                        start_new_session=True,
                    )
                )
                urls.append(f"http://127.0.0.1:{sock.getsockname()[1]}")
            logs.append(log)
        for process, url, log in zip(processes, urls, logs, strict=True):
            _wait_until_up(process, url, log)
        yield urls[0], urls[1]
    finally:
        _stop(processes)
