"""OpenTelemetry tracing, on when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (install
`service-kit[tracing]`).

When on, a service traces the requests it serves (FastAPI's own telemetry) and, within them, its
HTTP calls (httpx), SQL statements (SQLAlchemy) and MongoDB commands (PyMongo); the trace context
travels to the next service in the `traceparent` header. Spans go over OTLP (HTTP/protobuf) to
the collector at the endpoint.

A trace starts only at a request a service serves. Work with no request behind it (the
periodic loops polling their tables every few seconds, startup) starts none, or the trace
store would fill with one-statement traces of idle polls.

When off, nothing is instrumented: no OpenTelemetry SDK is loaded, the app is built with
FastAPI's telemetry switched off, and clients are created exactly as without this module.

Each app owns its tracer provider; none is installed globally, so apps built in one process
(the tests') trace independently. Tests hand an exporter of their own (an `InMemorySpanExporter`).
"""

from __future__ import annotations

import asyncio
from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig

from service_kit.settings import ServiceSettings

if TYPE_CHECKING:
    import httpx
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter
    from pymongo.monitoring import CommandListener
    from sqlalchemy.ext.asyncio import AsyncEngine

# Probes and scrapes arrive every few seconds and say nothing about a user's request.
UNTRACED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})

# FastAPI's telemetry is on by default whenever a global provider exists; the kit decides.
TELEMETRY_OFF: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "auto_configure": False,
}


def _untraced(scope: MutableMapping[str, Any]) -> bool:
    return scope.get("path") in UNTRACED_PATHS


class Tracing:
    """One app's tracer provider, and the instrumentation of what the app serves and calls."""

    def __init__(self, provider: TracerProvider) -> None:
        self.provider = provider

    def fastapi_telemetry(self) -> TelemetryConfig:
        """FastAPI's request spans on this provider; metrics and logs stay with the kit's own."""
        return {
            "tracer_provider": self.provider,
            "tracing": True,
            "operation_spans": True,
            "metrics": False,
            "logs": False,
            "auto_configure": False,
            "exclude": _untraced,
        }

    def http_transport(self, inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        """`inner`, with a client span per request sent (so each retry is one) and the trace
        context in its headers."""
        from opentelemetry.instrumentation.httpx import AsyncOpenTelemetryTransport

        return AsyncOpenTelemetryTransport(inner, tracer_provider=self.provider)

    def instrument_sql_engine(self, engine: AsyncEngine) -> None:
        """A span per SQL statement the engine runs (the statement without its parameters)."""
        from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
        from opentelemetry.metrics import NoOpMeterProvider

        # Used directly: SQLAlchemyInstrumentor.instrument() also patches create_engine for the
        # whole process, and does it only once.
        tracer = self.provider.get_tracer("opentelemetry.instrumentation.sqlalchemy")
        meter = NoOpMeterProvider().get_meter("opentelemetry.instrumentation.sqlalchemy")
        connections_usage = meter.create_up_down_counter("db.client.connections.usage")
        EngineTracer(tracer, engine.sync_engine, connections_usage)  # type: ignore[no-untyped-call]

    def mongo_listeners(self) -> list[CommandListener]:
        """A listener for a MongoDB client that makes a span of each command (without values)."""
        from opentelemetry.instrumentation.pymongo import CommandTracer

        return [CommandTracer(self.provider.get_tracer("opentelemetry.instrumentation.pymongo"))]

    async def shutdown(self) -> None:
        """Export what is buffered (bounded by the exporter's timeout) and stop."""
        await asyncio.to_thread(self.provider.shutdown)


def start_tracing(
    settings: ServiceSettings, *, exporter: SpanExporter | None = None
) -> Tracing | None:
    """This service's tracing: to `exporter` when given (tests), else over OTLP to
    `OTEL_EXPORTER_OTLP_ENDPOINT` when set, else none."""
    endpoint = settings.otel_exporter_otlp_endpoint
    if exporter is None and endpoint is None:
        return None
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    from service_kit.trace_sampling import RequestRootedSampler

    # OTEL_RESOURCE_ATTRIBUTES is merged in; the service name from settings wins.
    resource = Resource.create(
        {
            "service.name": settings.otel_service_name or settings.service_name,
            "deployment.environment.name": settings.env.value,
        }
    )
    provider = TracerProvider(
        resource=resource, sampler=RequestRootedSampler.from_environment(), shutdown_on_exit=False
    )
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        # Headers, timeout, compression and certificates come from the OTEL_EXPORTER_OTLP_*
        # variables, which the exporter reads itself.
        otlp = OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces")
        provider.add_span_processor(BatchSpanProcessor(otlp))
    return Tracing(provider)


def tracing_of(app: FastAPI) -> Tracing | None:
    """The tracing `create_service_app` set up for `app` (None when tracing is off)."""
    tracing: Tracing | None = getattr(app.state, "tracing", None)
    return tracing


def fastapi_telemetry(tracing: Tracing | None) -> TelemetryConfig:
    return TELEMETRY_OFF if tracing is None else tracing.fastapi_telemetry()
