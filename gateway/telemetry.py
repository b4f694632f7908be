"""OpenTelemetry, started once per process: HTTP requests, SQL, outbox, Kafka and consumers in one trace."""

from __future__ import annotations

from flask import Flask
from opentelemetry import trace
from opentelemetry.instrumentation.flask import FlaskInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from sqlalchemy import Engine

from gateway.settings import Settings


def tracer_provider(settings: Settings) -> trace.TracerProvider:
    """The global provider; the first caller in a process installs it (tests install their own first)."""
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current
    provider = TracerProvider(resource=Resource.create({"service.name": settings.otel_service_name}))
    if settings.otel_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = settings.otel_endpoint.rstrip("/") + "/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    trace.set_tracer_provider(provider)
    return provider


def instrument_app(app: Flask, engine: Engine, settings: Settings) -> None:
    provider = tracer_provider(settings)
    FlaskInstrumentor.instrument_app(app, tracer_provider=provider, excluded_urls="healthz,readyz")  # type: ignore[no-untyped-call]
    if not getattr(engine, "_registry_instrumented", False):
        SQLAlchemyInstrumentor().instrument(engine=engine, tracer_provider=provider, enable_commenter=False)
        engine._registry_instrumented = True  # type: ignore[attr-defined]
