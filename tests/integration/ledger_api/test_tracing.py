"""One trace from the HTTP request to the consumer: request span, SQL, the relay's publish, the consumer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from gateway.app import create_app
from gateway.bootstrap import Platform, platform_of
from gateway.bootstrap.bus import consumer_dead_letter_topic, domain_topics
from services.events.adapters.inbox import SqlAlchemyInbox
from services.events.adapters.log_bus import SqlLogPublisher, SqlLogSubscription
from services.events.domain.envelope import CloudEvent
from services.events.service_layer.consumer import Consumer, ConsumerRuntime
from tests.conftest import DatabaseUrls, settings_for
from tests.factories.events import publish_pending_events
from tests.integration.ledger_api.world import furnish, issue, new_registry


@pytest.fixture(scope="session")
def spans() -> InMemorySpanExporter:
    """Installed before any app of this test is built; an SDK provider already installed is reused."""
    exporter = InMemorySpanExporter()
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


@pytest.fixture
def traced_app(spans: InMemorySpanExporter, database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    yield built
    platform_of(built).close()


def runtime(platform: Platform, seen: list[CloudEvent]) -> ConsumerRuntime:
    consumer = Consumer(
        name="trace-probe",
        topics=domain_topics(platform.settings),
        handler=lambda event, _session: seen.append(event),
        supports=lambda _type: True,
    )
    return ConsumerRuntime(
        consumer,
        SqlLogSubscription(platform.database, "trace-probe", consumer.topics),
        SqlAlchemyInbox(platform.database),
        SqlLogPublisher(platform.database),
        consumer_dead_letter_topic(platform.settings, consumer.name),
    )


def test_a_request_its_sql_the_publish_and_the_consumer_share_one_trace(
    traced_app: Flask, spans: InMemorySpanExporter
) -> None:
    ghana = furnish(new_registry(traced_app), new_registry(traced_app))
    spans.clear()

    issued = issue(ghana, 10)
    platform: Platform = platform_of(traced_app)
    publish_pending_events(platform)
    seen: list[CloudEvent] = []
    runtime(platform, seen).drain(timeout_s=0.05)

    finished = list(spans.get_finished_spans())
    [server] = [s for s in finished if s.kind is trace.SpanKind.SERVER and "/transactions/issuances" in s.name]
    trace_id = server.context.trace_id
    same_trace = [s for s in finished if s.context.trace_id == trace_id]
    sql = [s for s in same_trace if s.instrumentation_scope and "sqlalchemy" in s.instrumentation_scope.name]
    publish = [s for s in same_trace if s.name.startswith("publish ")]
    processed = [s for s in same_trace if s.name.startswith("trace-probe process ledger.units.issued.v1")]
    assert server.parent is None or server.parent.is_remote
    assert sql, "no SQL span in the request's trace"
    assert all(_descends_from(s, server, same_trace) for s in sql)
    assert publish, "the relay's producer span is not in the request's trace"
    assert {s.parent.span_id for s in publish if s.parent} == {server.context.span_id}
    assert [s.kind for s in publish] == [trace.SpanKind.PRODUCER] * len(publish)
    assert processed, "the consumer's span is not in the request's trace"
    linked = {server.context.span_id, *(s.context.span_id for s in publish)}
    assert all(s.parent is not None and s.parent.span_id in linked for s in processed)
    assert any(e.data.get("transaction_id") == issued["transaction_id"] for e in seen)


def _descends_from(span: ReadableSpan, root: ReadableSpan, spans: list[ReadableSpan]) -> bool:
    by_id = {s.context.span_id: s for s in spans}
    current: ReadableSpan | None = span
    while current is not None and current.parent is not None:
        if current.parent.span_id == root.context.span_id:
            return True
        current = by_id.get(current.parent.span_id)
    return False
