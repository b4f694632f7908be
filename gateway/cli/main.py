"""`registry`: the one entry point of every process type."""

from __future__ import annotations

import click

from gateway.auth.cli import auth, keys, users
from gateway.cli.cadt import cadt
from gateway.cli.events import consume, events, healthcheck, kafka, relay
from gateway.cli.ledger import journal
from gateway.cli.notifications import notifications
from gateway.cli.platform import user_errors
from gateway.cli.reporting import reconcile, report
from gateway.cli.tenants import tenants
from gateway.cli.transparency import transparency
from gateway.settings import Settings

# Long-running process types and the argv after `registry` that starts each; the compose file and
# the Helm chart must name every one of them (a test keeps them in step).
PROCESS_TYPES: dict[str, tuple[str, ...]] = {
    "gateway": ("serve",),
    "relay": ("relay",),
    "consumer-reporting": ("consume", "reporting"),
    "consumer-cadt": ("consume", "cadt"),
    "consumer-interregistry": ("consume", "interregistry"),
    "consumer-notifications": ("consume", "notifications"),
    "consumer-webhooks": ("consume", "webhooks"),
    "sequencer": ("transparency", "sequence", "--every", "5"),
}
MIGRATE_COMMAND: tuple[str, ...] = ("db", "upgrade")


def settings_from_env() -> Settings:
    with user_errors():
        return Settings.from_env()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Carbon Registry Platform: national carbon registries as isolated tenants."""


@main.command()
def serve() -> None:
    """Serve the HTTP API with gunicorn (REGISTRY_HOST, REGISTRY_PORT, REGISTRY_WORKERS)."""
    from gateway.app import create_app
    from gateway.logging_setup import configure_logging, process_lifecycle
    from gateway.server import serve as run_server

    settings = settings_from_env()
    configure_logging(settings.log_level)
    with process_lifecycle("serve"):
        run_server(lambda: create_app(settings), settings.host, settings.port, workers=settings.workers)


@main.command()
def demo() -> None:
    """Run the embedded platform: SQLite, in-process bus, two demo registries."""
    from gateway.demo import run_demo

    run_demo(settings_from_env())


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations as the owner role (DATABASE_OWNER_URL, else DATABASE_URL)."""
    from services.migrations.runner import upgrade

    settings = settings_from_env()
    upgrade(settings.owner_url, settings.database_app_role, revision)
    click.echo(f"database at revision {revision}")


main.add_command(tenants)
main.add_command(users)
main.add_command(keys)
main.add_command(auth)
main.add_command(cadt)
main.add_command(journal)
main.add_command(transparency)
main.add_command(report)
main.add_command(reconcile)
main.add_command(notifications)
for command in (relay, consume, kafka, events, healthcheck):
    main.add_command(command)

if __name__ == "__main__":  # pragma: no cover
    main()
