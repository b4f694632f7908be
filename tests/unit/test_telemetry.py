"""Tracing without an exporter (issue 17): spans that nothing would receive are not recorded, but every request
still has a trace id for its log lines and its events' traceparent; once an exporter is added, spans are
recorded and exported."""

from __future__ import annotations

import pytest
from flask import Flask
from opentelemetry import trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import create_engine

from gateway import telemetry
from gateway.settings import Settings
from gateway.telemetry import new_tracer_provider


def test_without_an_exporter_spans_have_ids_but_are_not_recorded() -> None:
    tracer = new_tracer_provider(Settings(otel_endpoint="")).get_tracer("probe")

    with tracer.start_as_current_span("request") as request, tracer.start_as_current_span("sql") as sql:
        assert not request.is_recording()
        assert not sql.is_recording()
        assert request.get_span_context().is_valid
        assert sql.get_span_context().trace_id == request.get_span_context().trace_id
        assert trace.get_current_span() is sql


def test_an_exporter_added_later_receives_every_span() -> None:
    provider, exported = new_tracer_provider(Settings(otel_endpoint="")), InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exported))
    tracer = provider.get_tracer("probe")

    with tracer.start_as_current_span("request") as request, tracer.start_as_current_span("sql"):
        assert request.is_recording()

    assert [span.name for span in exported.get_finished_spans()] == ["sql", "request"]


def test_without_an_exporter_the_sql_statements_are_not_instrumented(monkeypatch: pytest.MonkeyPatch) -> None:
    provider = new_tracer_provider(Settings(otel_endpoint=""))
    monkeypatch.setattr(telemetry, "tracer_provider", lambda _settings: provider)
    engine = create_engine("sqlite://")

    telemetry.instrument_app(Flask(__name__), engine, Settings(otel_endpoint=""))

    assert not telemetry.exporting(provider)
    assert len(engine.dispatch.before_cursor_execute) == 0  # no hook runs for each statement


def test_a_provider_exports_once_a_processor_is_added() -> None:
    provider = new_tracer_provider(Settings(otel_endpoint=""))
    provider.add_span_processor(SimpleSpanProcessor(InMemorySpanExporter()))

    assert telemetry.exporting(provider)
