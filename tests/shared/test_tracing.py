"""Tracing, switched on by configuration: what the kit traces, logs and exports, and that an
app without the setting is left alone.

Every traced app here has its own provider and exporter; none is installed globally.
"""

import json
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter, Request
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, format_span_id, format_trace_id
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from service_kit.http import create_http_client
from service_kit.logging import JsonFormatter
from service_kit.retry import RetryPolicy
from service_kit.settings import ServiceSettings
from service_kit.tracing import tracing_of
from tests.shared.kit_app import create_kit_app
from tests.utils.asgi import running_client
from tests.utils.inprocess import serve

DOWNSTREAM = "http://downstream.test"
# The one retry layer: a call that is retried goes through it, each attempt a span of its own.
RETRY = RetryPolicy(budget_seconds=5)

relay_router = APIRouter(tags=["kit"])


@relay_router.get("/relay")
async def relay(request: Request) -> dict[str, int]:
    """Calls the downstream service, as a service calls another within a request."""
    response = await RETRY.send(request.app.state.downstream, "GET", f"{DOWNSTREAM}/thing")
    return {"downstream_status": response.status_code}


class FlakyDownstream:
    """Answers 503 to the first call and 200 after, keeping each call's `traceparent`."""

    def __init__(self) -> None:
        self.traceparents: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.traceparents.append(request.headers.get("traceparent", "untraced"))
        return httpx.Response(503 if len(self.traceparents) == 1 else 200, json={})


def traced_relay_app(exporter: InMemorySpanExporter, downstream: FlakyDownstream) -> Starlette:
    settings = ServiceSettings(service_name="kit-test", env="test")
    app = create_kit_app(settings=settings, span_exporter=exporter, routers=(relay_router,))
    app.state.downstream = create_http_client(
        settings, transport=httpx.MockTransport(downstream), tracing=tracing_of(app)
    )
    return app


def one(spans: Sequence[ReadableSpan], name: str) -> ReadableSpan:
    [span] = [span for span in spans if span.name == name]
    return span


def ancestors(span: ReadableSpan, spans: Sequence[ReadableSpan]) -> list[ReadableSpan]:
    by_id = {s.context.span_id: s for s in spans}
    chain = []
    while span.parent is not None and span.parent.span_id in by_id:
        span = by_id[span.parent.span_id]
        chain.append(span)
    return chain


async def test_request_and_each_call_attempt_within_it_are_one_trace() -> None:
    exporter, downstream = InMemorySpanExporter(), FlakyDownstream()
    app = traced_relay_app(exporter, downstream)

    async with running_client(app) as client:
        response = await client.get("/relay")

    assert response.json() == {"downstream_status": 200}
    spans = exporter.get_finished_spans()
    server = one(spans, "GET /relay")
    assert server.kind is SpanKind.SERVER
    assert server.resource.attributes["service.name"] == "kit-test"
    attempts = [span for span in spans if span.kind is SpanKind.CLIENT]
    assert [span.attributes["http.status_code"] for span in attempts] == [503, 200]
    for attempt in attempts:
        assert attempt.context.trace_id == server.context.trace_id
        assert server in ancestors(attempt, spans)
    # Each attempt told the downstream service its own span as the parent.
    assert [traceparent.split("-")[1:3] for traceparent in downstream.traceparents] == [
        [format_trace_id(a.context.trace_id), format_span_id(a.context.span_id)] for a in attempts
    ]


async def test_log_lines_carry_request_id_and_trace_and_span_ids(
    caplog: pytest.LogCaptureFixture,
) -> None:
    exporter = InMemorySpanExporter()
    app = create_kit_app(span_exporter=exporter)

    with caplog.at_level(logging.INFO, logger="access"):
        async with running_client(app) as client:
            await client.get("/items/7", headers={"X-Request-ID": "req-traced"})

    server = one(exporter.get_finished_spans(), "GET /items/{item_id}")
    [record] = [
        r for r in caplog.records if r.name == "access" and r.getMessage() == "GET /items/7 200"
    ]
    line = json.loads(JsonFormatter("kit-test").format(record))
    assert line["request_id"] == "req-traced"
    assert line["trace_id"] == format_trace_id(server.context.trace_id)
    assert line["span_id"] == format_span_id(server.context.span_id)


async def test_log_lines_have_no_trace_id_when_tracing_is_off(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = create_kit_app()

    with caplog.at_level(logging.INFO, logger="access"):
        async with running_client(app) as client:
            await client.get("/items/7", headers={"X-Request-ID": "req-untraced"})

    [record] = [
        r for r in caplog.records if r.name == "access" and r.getMessage() == "GET /items/7 200"
    ]
    line = json.loads(JsonFormatter("kit-test").format(record))
    assert line["request_id"] == "req-untraced"
    assert "trace_id" not in line
    assert "span_id" not in line


async def test_calls_made_outside_a_request_start_no_trace() -> None:
    exporter, downstream = InMemorySpanExporter(), FlakyDownstream()
    app = traced_relay_app(exporter, downstream)

    async with running_client(app):
        response = await RETRY.send(app.state.downstream, "GET", f"{DOWNSTREAM}/thing")

    assert response.status_code == 200
    # Both attempts went, and told the downstream service not to record them either.
    assert [int(tp.split("-")[3], 16) & 1 for tp in downstream.traceparents] == [0, 0]
    assert exporter.get_finished_spans() == ()


async def test_health_probes_and_metrics_scrapes_are_not_traced() -> None:
    exporter = InMemorySpanExporter()
    app = create_kit_app(span_exporter=exporter)

    async with running_client(app) as client:
        for path in ("/healthz", "/readyz", "/metrics"):
            assert (await client.get(path)).status_code == 200

    assert exporter.get_finished_spans() == ()


async def test_configured_sampler_decides_which_requests_are_traced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "always_off")
    exporter = InMemorySpanExporter()
    app = create_kit_app(span_exporter=exporter)

    async with running_client(app) as client:
        assert (await client.get("/items/1")).status_code == 200

    assert exporter.get_finished_spans() == ()


class OtlpCollector:
    """A stand-in collector that keeps each OTLP/HTTP export it receives."""

    def __init__(self) -> None:
        self.exports: list[ExportTraceServiceRequest] = []
        self.app = Starlette(routes=[Route("/v1/traces", self._export, methods=["POST"])])

    async def _export(self, request: Request) -> Response:
        assert request.headers["content-type"] == "application/x-protobuf"
        self.exports.append(ExportTraceServiceRequest.FromString(await request.body()))
        body = ExportTraceServiceResponse().SerializeToString()
        return Response(body, media_type="application/x-protobuf")

    def spans_by_service(self) -> dict[str, list[str]]:
        spans: dict[str, list[str]] = {}
        for export in self.exports:
            for resource_spans in export.resource_spans:
                attributes = {
                    a.key: a.value.string_value for a in resource_spans.resource.attributes
                }
                names = spans.setdefault(attributes["service.name"], [])
                for scope_spans in resource_spans.scope_spans:
                    names.extend(span.name for span in scope_spans.spans)
        return spans


async def test_endpoint_setting_exports_spans_over_otlp_http() -> None:
    collector = OtlpCollector()
    async with serve(collector.app) as collector_url:
        settings = ServiceSettings(
            service_name="kit-test",
            env="test",
            otel_exporter_otlp_endpoint=collector_url + "/",
            otel_service_name="kit-under-test",
        )
        app = create_kit_app(settings=settings)
        async with running_client(app) as client:
            assert (await client.get("/items/3")).status_code == 200
            assert (await client.get("/healthz")).status_code == 200
        # Leaving the lifespan flushed the batch to the collector.

    spans = collector.spans_by_service()
    assert list(spans) == ["kit-under-test"]
    assert "GET /items/{item_id}" in spans["kit-under-test"]
    assert not any("healthz" in name for name in spans["kit-under-test"])


def test_tracing_settings_default_to_off_and_the_service_name() -> None:
    settings = ServiceSettings(service_name="event-service")

    assert settings.otel_exporter_otlp_endpoint is None
    assert settings.otel_service_name == "event-service"


def test_empty_endpoint_leaves_tracing_off() -> None:
    assert ServiceSettings(otel_exporter_otlp_endpoint="").otel_exporter_otlp_endpoint is None


@pytest.mark.parametrize("endpoint", ["localhost:4318", "ftp://collector:4318", "http://"])
def test_endpoint_that_is_not_an_http_url_is_refused(endpoint: str) -> None:
    with pytest.raises(ValidationError, match="must be an http"):
        ServiceSettings(otel_exporter_otlp_endpoint=endpoint)


def test_grpc_protocol_is_refused_only_when_tracing_is_on() -> None:
    with pytest.raises(ValidationError, match="OTEL_EXPORTER_OTLP_PROTOCOL=grpc"):
        ServiceSettings(
            otel_exporter_otlp_endpoint="http://collector:4317", otel_exporter_otlp_protocol="grpc"
        )
    assert ServiceSettings(otel_exporter_otlp_protocol="grpc").otel_exporter_otlp_endpoint is None


def test_services_without_the_endpoint_load_no_tracing_and_make_no_spans(
    mongo_url: str, tmp_path: Path
) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("OTEL_")}
    env.update(MONGO_URL=mongo_url, DATA_DIR=str(tmp_path), LOG_LEVEL="WARNING")
    result = subprocess.run(
        [sys.executable, "-m", "tests.shared.untraced_platform"],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    services = ["user-service", "event-service", "booking-service", "notification-service"]
    assert report["tracing"] == dict.fromkeys(services, False)
    expected = {"user-service": 201, "event-service": 200}
    assert report["statuses"] == {**expected, "booking-service": 200, "notification-service": 200}
    assert report["statuses_under_global_provider"] == report["statuses"]
    assert report["loaded"] == []
    assert report["spans_under_global_provider"] == 0
