"""A throw-away PostgreSQL cluster for one test, which the test may crash and start again.

Made like infra/postgres/up.sh makes the shared one (initdb refuses root, so as root the server runs as the
postgres OS user), but in a folder and on a port of its own, so crashing it disturbs no other test. The
owner role runs migrations; the application role is not the owner, so row-level security applies to it.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from services.migrations.runner import upgrade
from tests.conftest import DatabaseUrls
from tests.e2e.processes import free_port

APP_ROLE = "registry_app"
OWNER_ROLE = "registry_owner"
DATABASE = "registry"


@dataclass(frozen=True)
class Cluster:
    bin: Path
    area: Path
    port: int
    urls: DatabaseUrls
    passwords: dict[str, str] = field(repr=False)

    @property
    def data(self) -> Path:
        return self.area / "data"

    def crash(self) -> None:
        """Stop the server the way a crash does: every backend killed, no checkpoint; recovery replays the WAL."""
        self._pg_ctl("-m", "immediate", "stop")

    def start(self) -> None:
        self._pg_ctl("-l", str(self.area / "server.log"), "-o", f"-p {self.port}", "start")

    def psql(self, sql: str) -> None:
        """Run SQL as the superuser over the cluster's private socket (it can carry passwords: stdin)."""
        argv = [str(self.bin / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.area), "-p", str(self.port)]
        _as_server_user([*argv, "-U", "postgres", "-d", "postgres"], stdin=sql)

    def _pg_ctl(self, *args: str) -> None:
        _as_server_user([str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *args])


@contextmanager
def private_cluster() -> Iterator[Cluster]:
    """A started cluster with the owner and application roles and a migrated database; removed afterwards."""
    area = Path(tempfile.mkdtemp(prefix="registry-private-pg-", dir="/var/tmp"))
    if os.getuid() == 0:
        shutil.chown(area, "postgres", "postgres")
    cluster = _initialised(_server_binaries(), area)
    try:
        cluster.start()
        _create_roles_and_database(cluster)
        upgrade(cluster.urls.owner, APP_ROLE)
        yield cluster
    finally:
        subprocess.run(
            _server_user_argv([str(cluster.bin / "pg_ctl"), "-D", str(cluster.data), "-m", "immediate", "stop"]),
            capture_output=True,
            check=False,
            cwd="/",
        )
        shutil.rmtree(area, ignore_errors=True)


def _server_binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL server binaries are missing: install Debian's postgresql (make test does)")
    return Path(found[-1]).parent


def _initialised(bin_dir: Path, area: Path) -> Cluster:
    port = free_port()
    passwords = {OWNER_ROLE: secrets.token_hex(16), APP_ROLE: secrets.token_hex(16)}

    def url(role: str) -> str:
        return f"postgresql+psycopg://{role}:{passwords[role]}@127.0.0.1:{port}/{DATABASE}"

    urls = DatabaseUrls(app=url(APP_ROLE), owner=url(OWNER_ROLE), app_role=APP_ROLE)
    cluster = Cluster(bin_dir, area, port, urls, passwords)
    # Local connections over the socket in this private folder are trusted; TCP needs a password.
    _as_server_user([str(bin_dir / "initdb"), "-D", str(cluster.data), "-U", "postgres", "-E", "UTF8",
                     "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256"])  # fmt: skip
    settings = (
        f"listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{area}'\nmax_connections = 100\n"
        # The operating system outlives a crash of the server here, so what is written survives without
        # fsync; synchronous_commit stays on: a commit is acknowledged only once its WAL is written.
        "fsync = off\nfull_page_writes = off\n"
    )
    _as_server_user(["tee", "-a", str(cluster.data / "postgresql.conf")], stdin=settings)
    return cluster


def _create_roles_and_database(cluster: Cluster) -> None:
    passwords = cluster.passwords
    cluster.psql(
        f"CREATE ROLE {OWNER_ROLE} LOGIN CREATEDB NOSUPERUSER NOBYPASSRLS PASSWORD '{passwords[OWNER_ROLE]}';\n"
        f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOBYPASSRLS PASSWORD '{passwords[APP_ROLE]}';\n"
        f"CREATE DATABASE {DATABASE} OWNER {OWNER_ROLE};\n"
        f"GRANT CONNECT ON DATABASE {DATABASE} TO {APP_ROLE};\n"
    )


def _server_user_argv(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.getuid() == 0 else argv


def _as_server_user(argv: list[str], stdin: str | None = None) -> None:
    done = subprocess.run(_server_user_argv(argv), input=stdin, capture_output=True, text=True, check=False, cwd="/")
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(argv[:2])} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
