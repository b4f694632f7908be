"""The embedded platform: one process, SQLite, two clearly marked demo registries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click
from flask import Flask

from gateway import demo_data, demo_deal
from gateway.app import create_app
from gateway.bootstrap import Platform
from gateway.embedded import start_embedded_workers
from gateway.logging_setup import configure_logging, process_lifecycle
from gateway.server import serve
from gateway.settings import Settings
from services.migrations.runner import upgrade
from tenants.service_layer.catalogue import CreateTenant


@dataclass(frozen=True)
class DemoTenant:
    command: CreateTenant
    role: str


DEMO_TENANTS = (
    DemoTenant(
        CreateTenant(
            "demo-host",
            "GHA",
            "GHA01",
            "Ghana national registry (DEMO DATA)",
            {"time_zone": "Africa/Accra", "languages": ["en", "fr"]},
            is_demo=True,
        ),
        role="host country: issues, authorizes and first-transfers ITMOs",
    ),
    DemoTenant(
        CreateTenant(
            "demo-buyer",
            "CHE",
            "CHE01",
            "Switzerland national registry (DEMO DATA)",
            {
                "time_zone": "Europe/Zurich",
                "languages": ["fr", "en", "es"],
                "default_language": "fr",
                "ndc_type": "single_year",
            },
            is_demo=True,
        ),
        role="buyer country: acquires ITMOs and uses them towards its NDC",
    ),
)


def seed_demo(platform: Platform, password: str | None = None) -> list[str]:
    """The demo registries; with a password also their demo people and a small ledger history."""
    created = []
    for demo in DEMO_TENANTS:
        if platform.catalogue.find(demo.command.code) is None:
            platform.catalogue.create(demo.command)
            created.append(demo.command.code)
    if password is not None:
        host = platform.catalogue.get(DEMO_TENANTS[0].command.code)
        buyer = platform.catalogue.get(DEMO_TENANTS[1].command.code)
        developer = demo_data.seed_people(platform, host, password)
        demo_data.seed_registry_people(platform, buyer, password, demo_data.BUYER_PEOPLE, None)
        issuing = demo_data.seed_ledger(platform, host, developer)
        if issuing is not None:
            demo_deal.seed_deal(platform, host, buyer, issuing)
    return created


def run_demo(settings: Settings) -> None:
    if not settings.database_url.startswith("sqlite"):
        raise click.UsageError("registry demo runs on the embedded SQLite database; unset DATABASE_URL")
    configure_logging(settings.log_level)
    _ensure_parent(settings.database_url)
    # SQLite has no roles: the embedded database is migrated through its one URL.
    upgrade(settings.database_url, settings.database_app_role)
    platform = Platform.from_settings(settings)
    password = demo_data.demo_password(_folder(settings.database_url))
    seed_demo(platform, password)
    base = f"http://{settings.host}:{settings.port}"
    with process_lifecycle("demo"):
        serve(
            lambda: _app_with_embedded_bus(settings, platform),
            settings.host,
            settings.port,
            workers=1,
            threads=8,
            on_ready=lambda _server: _announce(base, password),
        )


def _app_with_embedded_bus(settings: Settings, platform: Platform) -> Flask:
    """Runs in the server's worker process: the relay and every consumer run beside the app there."""
    platform.database.engine.dispose(close=False)  # connections opened before the fork stay with the parent
    app = create_app(settings, platform)
    start_embedded_workers(platform, should_stop=lambda: False)  # daemon threads: they end with the worker
    return app


def _announce(base: str, password: str) -> None:
    host = DEMO_TENANTS[0].command.code
    people = ", ".join(p.username for p in demo_data.HOST_PEOPLE)
    lines = [
        "",
        "Carbon Registry Platform: embedded demo (SQLite, in-process bus: relay and consumers run here)",
        f"  web pages     {base}/",
        f"  console       {base}/registries/{host}/console/   ({people})",
        f"  operator      {base}/operator/   ({demo_data.OPERATOR})",
        f"  demo password {password}   (for every demo user; kept in var/demo-password)",
        f"  health        {base}/healthz",
        f"  readiness     {base}/readyz",
        f"  API docs      {base}/api/v1/docs",
        f"  OpenAPI       {base}/api/v1/openapi.json",
    ]
    for demo in DEMO_TENANTS:
        lines.append(f"  {demo.command.code:<13} {base}/api/v1/registries/{demo.command.code}")
        lines.append(f"                {demo.command.name}: {demo.role}")
    lines.append("DEMO DATA ONLY: these registries are fictitious examples. Stop with Ctrl-C.")
    click.echo("\n".join(lines), err=False)


def _ensure_parent(url: str) -> None:
    _folder(url).mkdir(parents=True, exist_ok=True)


def _folder(url: str) -> Path:
    path = url.removeprefix("sqlite:///")
    return Path(path).parent if path and path != ":memory:" else Path("var")
