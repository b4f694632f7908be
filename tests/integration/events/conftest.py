"""Fault tests on PostgreSQL and the real broker: a database and topic prefix of their own, real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from uuid6 import uuid7

from gateway.bootstrap import Platform, bus
from gateway.bootstrap.consumers import CONSUMERS
from gateway.settings import KafkaSettings
from services.events.adapters.kafka_bus import create_topics
from services.events.adapters.orm import outbox, processed_events
from services.migrations.runner import upgrade
from tests.conftest import TEST_SECRET, DatabaseUrls, settings_for

REGISTRY = str(Path(__file__).parents[3] / ".venv" / "bin" / "registry")


def _drop_when_idle(admin_url: str, name: str) -> None:
    """Killed processes leave their server backends for a moment; wait for them rather than fail."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        for _ in range(40):
            with admin.connect() as connection:
                busy = connection.scalar(
                    text("select count(*) from pg_stat_activity where datname = :name and pid <> pg_backend_pid()"),
                    {"name": name},
                )
                if not busy:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                    return
            time.sleep(0.25)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def fault_urls(postgres_server: DatabaseUrls) -> Iterator[DatabaseUrls]:
    name = f"registry_fault_{uuid7().hex[-12:]}"
    admin = create_engine(postgres_server.owner, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        connection.execute(text(f'GRANT CONNECT ON DATABASE "{name}" TO "{postgres_server.app_role}"'))
    admin.dispose()
    owner = make_url(postgres_server.owner).set(database=name).render_as_string(hide_password=False)
    app = make_url(postgres_server.app).set(database=name).render_as_string(hide_password=False)
    upgrade(owner, postgres_server.app_role)
    try:
        yield DatabaseUrls(app=app, owner=owner, app_role=postgres_server.app_role)
    finally:
        _drop_when_idle(postgres_server.owner, name)


@pytest.fixture
def kafka_platform(fault_urls: DatabaseUrls) -> Iterator[Platform]:
    servers = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if not servers:
        pytest.fail("KAFKA_BOOTSTRAP_SERVERS is not set: run the README's test command (make test)")
    kafka = KafkaSettings(bootstrap_servers=servers, topic_prefix=f"f{uuid7().hex[-10:]}")
    platform = Platform.from_settings(settings_for(fault_urls, kafka=kafka))
    create_topics(bus.kafka_options(kafka), bus.all_topic_specs(platform.settings, sorted(CONSUMERS)))
    yield platform
    platform.close()


@dataclass
class Processes:
    """`registry ...` subprocesses against the test's database and topics; every one is stopped at the end."""

    platform: Platform
    folder: Path
    started: list[subprocess.Popen[bytes]]

    def env(self) -> dict[str, str]:
        settings = self.platform.settings
        return {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(Path(__file__).parents[3]),
            "DATABASE_URL": settings.database_url,
            "SECRET_KEY": TEST_SECRET,
            "KAFKA_BOOTSTRAP_SERVERS": settings.kafka.bootstrap_servers,
            "KAFKA_TOPIC_PREFIX": settings.kafka.topic_prefix,
            "REGISTRY_HEARTBEAT_FILE": str(self.folder / "heartbeat"),
            "LOG_LEVEL": "INFO",
        }

    def start(self, *argv: str, name: str | None = None) -> subprocess.Popen[bytes]:
        with (self.folder / f"{name or Path(argv[0]).name}-{len(self.started)}.log").open("wb") as log:
            process = subprocess.Popen(argv, env=self.env(), stdout=log, stderr=subprocess.STDOUT)
        self.started.append(process)
        return process

    def registry(self, *argv: str) -> subprocess.Popen[bytes]:
        return self.start(REGISTRY, *argv, name=argv[0])

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill(process)


@pytest.fixture
def processes(kafka_platform: Platform, tmp_path: Path) -> Iterator[Processes]:
    running = Processes(kafka_platform, tmp_path, [])
    yield running
    running.stop_all()


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> float:
    """Poll until `condition` holds; return the seconds it took, or fail saying what never happened."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout_s:
            pytest.fail(f"{what} did not happen within {timeout_s} s")
        time.sleep(0.1)
    return time.monotonic() - started


def pending(platform: Platform) -> int:
    with platform.database.session(None) as session:
        return int(session.scalar(select(func.count()).where(outbox.c.published_at.is_(None))) or 0)


def processed(platform: Platform, consumer: str = "interregistry") -> int:
    with platform.database.session(None) as session:
        return int(session.scalar(select(func.count()).where(processed_events.c.consumer == consumer)) or 0)


def outbox_size(platform: Platform) -> int:
    with platform.database.session(None) as session:
        return int(session.scalar(select(func.count()).select_from(outbox)) or 0)
