"""Event bus processes: `registry relay`, `registry consume NAME`, `registry kafka init`, and helpers."""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import time
from datetime import timedelta
from pathlib import Path

import click

from gateway.bootstrap import Platform, bus
from gateway.bootstrap.consumers import CONSUMERS
from gateway.logging_setup import configure_logging, process_lifecycle
from gateway.settings import Settings
from services.events import bootstrap as events_bootstrap
from services.events.domain.catalogue import EventCatalogue
from services.events.service_layer.consumer import Consumer, ConsumerRuntime
from services.events.service_layer.relay import OutboxRelay
from services.identity.domain.tokens import PurgedGrants
from services.identity.service_layer import grants
from services.interregistry.domain.messages import MESSAGE_CLASSES

log = logging.getLogger(__name__)
HEARTBEAT_FILE = Path(os.environ.get("REGISTRY_HEARTBEAT_FILE", "/tmp/registry-heartbeat"))  # noqa: S108
HEARTBEAT_MAX_AGE_S = 60


class GracefulStop:
    """SIGTERM and SIGINT finish the current batch, then stop."""

    def __init__(self) -> None:
        self.requested = False
        signal.signal(signal.SIGTERM, self._request)
        signal.signal(signal.SIGINT, self._request)

    def _request(self, *_: object) -> None:
        self.requested = True

    def __call__(self) -> bool:
        return self.requested


def beat() -> None:
    HEARTBEAT_FILE.touch()


def build_relay(platform: Platform, holder: str | None = None) -> OutboxRelay:
    settings = platform.settings
    hours = settings.outbox_retention_hours
    return OutboxRelay(
        events_bootstrap.outbox_store(platform.database, platform.clock),
        bus.make_publisher(settings, platform.database, platform.clock),
        events_bootstrap.lease(platform.database, "outbox-relay", platform.clock),
        holder or f"{socket.gethostname()}:{os.getpid()}",
        retention=timedelta(hours=hours) if hours > 0 else None,
        housekeeping=(lambda: purge_expired_grants(platform),),
        wall_clock=platform.clock,
    )


def purge_expired_grants(platform: Platform) -> PurgedGrants:
    purged = grants.purge_expired(platform.identity.uow(None), platform.identity.clock)
    log.info("purged expired sign-in records: %s", purged)
    return purged


def consumer_group(settings: Settings, name: str) -> str:
    """`registry-NAME` with the default topic prefix; deployments sharing a broker keep their groups apart."""
    return f"{settings.kafka.topic_prefix}-{name}"


def build_runtime(platform: Platform, name: str, consumer: Consumer | None = None) -> ConsumerRuntime:
    """The runtime of the consumer NAME; `consumer` stands in for the one the build offers (tests wire their own)."""
    if name not in CONSUMERS:
        known = ", ".join(sorted(CONSUMERS)) or "none in this build"
        raise click.UsageError(f"no consumer {name!r}; known consumers: {known}")
    consumer = consumer or CONSUMERS[name](platform)
    settings = platform.settings
    return ConsumerRuntime(
        consumer,
        bus.make_subscription(settings, platform.database, consumer_group(settings, name), consumer.topics),
        events_bootstrap.inbox(platform.database, platform.clock),
        bus.make_publisher(settings, platform.database, platform.clock),
        bus.consumer_dead_letter_topic(settings, name),
    )


def event_catalogue() -> EventCatalogue:
    """Every context's domain events and the messages registries exchange (docs/events.md)."""
    catalogue = bus.event_catalogue()
    catalogue.register_classes(MESSAGE_CLASSES)
    return catalogue


@click.command()
def relay() -> None:
    """Publish the outbox to the bus; one active relay at a time (leader lease)."""
    settings = Settings.from_env()
    configure_logging(settings.log_level)
    with process_lifecycle("relay"):
        platform = Platform.from_settings(settings)
        stop = GracefulStop()
        build_relay(platform).run(stop, heartbeat=beat)


@click.command()
@click.argument("name")
@click.option("--replay", is_flag=True, help="rebuild the read model from the start of the topics, then go on")
def consume(name: str, replay: bool) -> None:
    """Run the consumer NAME: apply each event exactly once, then commit its offset."""
    settings = Settings.from_env()
    configure_logging(settings.log_level)
    with process_lifecycle(f"consume {name}"):
        platform = Platform.from_settings(settings)
        runtime = build_runtime(platform, name)
        if replay:
            runtime.replay()
            click.echo(f"{name}: replaying from the start of {', '.join(runtime.consumer.topics)}", err=True)
        stop = GracefulStop()
        runtime.run(stop, heartbeat=beat)


@click.group()
def kafka() -> None:
    """Apache Kafka administration."""


@kafka.command("init")
def kafka_init() -> None:
    """Create the topics (events, inter-registry messages, one dead-letter topic per consumer)."""
    settings = Settings.from_env()
    if not settings.kafka.enabled:
        raise click.UsageError("KAFKA_BOOTSTRAP_SERVERS is not set: the embedded bus needs no topics")
    specs = bus.all_topic_specs(settings, sorted(CONSUMERS))
    created = events_bootstrap.create_topics(bus.kafka_options(settings.kafka), specs)
    for spec in specs:
        state = "created" if spec.name in created else "exists"
        click.echo(f"{spec.name:<40} {state:<8} partitions={spec.partitions} retention_ms={spec.retention_ms}")


@click.group()
def events() -> None:
    """The event catalogue."""


@events.command("catalogue")
def events_catalogue() -> None:
    """Print the event catalogue as Markdown (docs/events.md)."""
    click.echo(event_catalogue().render_markdown(), nl=False)


@events.command("outbound")
@click.argument("registry")
@click.option("--status", type=click.Choice(["pending", "delivered", "dead"]), help="only messages in this status")
@click.option("--limit", default=50, show_default=True)
def events_outbound(registry: str, status: str | None, limit: int) -> None:
    """Messages REGISTRY (a tenant code) sends to registries not hosted here, and their delivery status."""
    platform = Platform.from_settings(Settings.from_env())
    tenant = next((t for t in platform.catalogue.list() if t.code == registry), None)
    if tenant is None:
        raise click.UsageError(f"no registry {registry!r}; `registry tenants list` shows the codes")
    with platform.database.transaction(tenant.id) as session:
        rows = platform.interregistry.outbound().listing(session, tenant.id, status, limit)
    for row in rows:
        when = row["delivered_at"] or row["next_attempt_at"]
        click.echo(
            f"{row['id']}  {row['peer_registry_id']}  {row['message_type']:<36} {row['status']:<9} "
            f"attempts={row['attempts']} {'delivered' if row['delivered_at'] else 'next'}={when:%Y-%m-%dT%H:%M:%SZ}"
            + (f"  ack={row['ack_status']}" if row["ack_status"] else "")
            + (f"  error={row['last_error']}" if row["last_error"] and not row["delivered_at"] else "")
        )
    if not rows:
        click.echo("no outbound messages", err=True)


@click.command()
def healthcheck() -> None:
    """Exit 0 while this container's worker heartbeat is fresh (liveness probe for relay and consumers)."""
    try:
        age = time.time() - HEARTBEAT_FILE.stat().st_mtime
    except FileNotFoundError:
        click.echo(f"no heartbeat at {HEARTBEAT_FILE}", err=True)
        sys.exit(1)
    if age > HEARTBEAT_MAX_AGE_S:
        click.echo(f"heartbeat is {age:.0f} s old", err=True)
        sys.exit(1)
