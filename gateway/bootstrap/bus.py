"""Chooses the bus from settings: Apache Kafka when KAFKA_BOOTSTRAP_SERVERS is set, else the embedded log."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from gateway.settings import KafkaSettings, Settings
from services.events import bootstrap as events
from services.events.domain.catalogue import EventCatalogue
from services.events.service_layer.ports import Publisher, Subscription
from services.identity.domain import devices as identity_devices
from services.ledger.domain import events as ledger_events
from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.database import Database

CONTEXTS_WITH_EVENTS = ("ledger",)


def kafka_options(settings: KafkaSettings) -> dict[str, Any]:
    options: dict[str, Any] = {
        "bootstrap_servers": settings.bootstrap_servers.split(","),
        "security_protocol": settings.security_protocol,
    }
    if settings.sasl_mechanism:
        options |= {
            "sasl_mechanism": settings.sasl_mechanism,
            "sasl_plain_username": settings.sasl_username,
            "sasl_plain_password": settings.sasl_password,
        }
    if settings.ssl_cafile:
        options["ssl_cafile"] = settings.ssl_cafile
    return options


def _kafka(settings: Settings) -> dict[str, Any] | None:
    return kafka_options(settings.kafka) if settings.kafka.enabled else None


def make_publisher(settings: Settings, database: Database, clock: Clock = SYSTEM_CLOCK) -> Publisher:
    return events.publisher(_kafka(settings), database, clock)


def make_subscription(settings: Settings, database: Database, group: str, topics: Sequence[str]) -> Subscription:
    return events.subscription(_kafka(settings), database, group, topics)


def domain_topics(settings: Settings) -> list[str]:
    return context_topics(settings, CONTEXTS_WITH_EVENTS)


def context_topics(settings: Settings, contexts: Sequence[str]) -> list[str]:
    return [events.event_topic(settings.kafka.topic_prefix, context) for context in contexts]


def consumer_dead_letter_topic(settings: Settings, consumer: str) -> str:
    return events.dead_letter_topic(settings.kafka.topic_prefix, consumer)


def all_topic_specs(settings: Settings, consumers: list[str]) -> list[Any]:
    return events.topic_specs(settings.kafka.topic_prefix, consumers)


EVENT_MODULES: list[ModuleType] = [ledger_events, identity_devices]  # each context's domain events module


def event_catalogue() -> EventCatalogue:
    catalogue = EventCatalogue()
    catalogue.register_classes(
        cls
        for module in EVENT_MODULES
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if "type" in cls.__dict__ and isinstance(cls.__dict__["type"], str) and dataclasses.is_dataclass(cls)
    )
    return catalogue
