"""OpenTelemetry, started once per process: HTTP requests, SQL, outbox, Kafka and consumers in one trace.

Without an exporter (`OTEL_EXPORTER_OTLP_ENDPOINT` unset) spans are not recorded: each still has its trace
and span ids, which the events' `traceparent` carries on, but no attributes, timings or processing. Recorded
and sent nowhere, they cost a transfer about a tenth of its worker's processor time (issue 17,
bench/README.md). Adding an exporter later (a span processor) records every span from then on, but the SQL
statements are instrumented only by an app built while its provider exports: without one, no hook runs for
each statement.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Flask
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.instrumentation.flask import FlaskInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, DEFAULT_ON, Sampler, SamplingResult
from opentelemetry.trace import Link, SpanKind
from opentelemetry.util.types import Attributes
from sqlalchemy import Engine

from gateway.settings import Settings


class WhileExporting(Sampler):
    """The SDK's default sampling (every span, or as its parent was) once the provider has a span processor;
    until then, nothing is recorded."""

    exporting = False

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: trace.TraceState | None = None,
    ) -> SamplingResult:
        sampler = DEFAULT_ON if self.exporting else ALWAYS_OFF
        return sampler.should_sample(parent_context, trace_id, name, kind, attributes, links, trace_state)

    def get_description(self) -> str:
        return f"WhileExporting{{{(DEFAULT_ON if self.exporting else ALWAYS_OFF).get_description()}}}"


class _ExportAwareProvider(TracerProvider):
    def __init__(self, resource: Resource) -> None:
        self.switch = WhileExporting()
        super().__init__(resource=resource, sampler=self.switch)

    def add_span_processor(self, span_processor: SpanProcessor) -> None:
        super().add_span_processor(span_processor)
        self.switch.exporting = True


def exporting(provider: trace.TracerProvider) -> bool:
    """Whether spans are recorded for an exporter: a provider of another making is assumed to export."""
    return provider.switch.exporting if isinstance(provider, _ExportAwareProvider) else True


def tracer_provider(settings: Settings) -> trace.TracerProvider:
    """The global provider; the first caller in a process installs it (tests install their own first)."""
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current
    provider = new_tracer_provider(settings)
    trace.set_tracer_provider(provider)
    return provider


def new_tracer_provider(settings: Settings) -> TracerProvider:
    provider = _ExportAwareProvider(Resource.create({"service.name": settings.otel_service_name}))
    if settings.otel_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = settings.otel_endpoint.rstrip("/") + "/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    return provider


def instrument_app(app: Flask, engine: Engine, settings: Settings) -> None:
    """The request spans always (their ids go on in the events); the SQL spans only if they will be exported,
    since even unrecorded each costs the statement its hooks."""
    provider = tracer_provider(settings)
    FlaskInstrumentor.instrument_app(app, tracer_provider=provider, excluded_urls="healthz,readyz")  # type: ignore[no-untyped-call]
    if not exporting(provider):
        return
    if not getattr(engine, "_registry_instrumented", False):
        SQLAlchemyInstrumentor().instrument(engine=engine, tracer_provider=provider, enable_commenter=False)
        engine._registry_instrumented = True  # type: ignore[attr-defined]
