"""One booking is one trace across booking-service, user-service and event-service.

The three services run in-process with tracing on, each with its own tracer provider (none is
installed globally) exporting to one in-memory exporter; their HTTP clients reach each other
through a routing transport, so the trace context travels in real `traceparent` headers.
"""

import json
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, format_trace_id

from booking_service.main import create_app as create_booking_app
from event_service.main import create_app as create_event_app
from service_kit.logging import JsonFormatter
from tests.utils.asgi import running_client
from tests.utils.bookings import book
from tests.utils.events import create_event
from tests.utils.notifications import RecordingNotifications
from tests.utils.routing import RoutingTransport
from tests.utils.users import TestUser
from user_service.main import create_app as create_user_app


@dataclass
class TracedPlatform:
    exporter: InMemorySpanExporter
    bookings: httpx.AsyncClient

    def spans(self) -> tuple[ReadableSpan, ...]:
        return self.exporter.get_finished_spans()


@pytest.fixture
async def traced_platform(
    make_user_settings: Callable[..., Any],
    make_event_settings: Callable[..., Any],
    make_booking_settings: Callable[..., Any],
    notifications: RecordingNotifications,
    users_client: httpx.AsyncClient,
    events_client: httpx.AsyncClient,
) -> AsyncIterator[TracedPlatform]:
    """Second, traced replicas of the three services on the session's stores."""
    exporter = InMemorySpanExporter()
    network = RoutingTransport()
    user_app = create_user_app(make_user_settings(), span_exporter=exporter)
    event_app = create_event_app(
        make_event_settings(), http_transport=network, span_exporter=exporter
    )
    booking_app = create_booking_app(
        make_booking_settings(), http_transport=network, span_exporter=exporter
    )
    network.add("http://localhost:8000", httpx.ASGITransport(app=user_app))
    network.add("http://localhost:8001", httpx.ASGITransport(app=event_app))
    network.add("http://localhost:8003", httpx.ASGITransport(app=notifications.app))
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(running_client(user_app))
        await stack.enter_async_context(running_client(event_app))
        bookings = await stack.enter_async_context(
            running_client(booking_app, "http://localhost:8002")
        )
        exporter.clear()  # startup work is none of this test's business
        yield TracedPlatform(exporter=exporter, bookings=bookings)


def server_span(spans: Sequence[ReadableSpan], service: str, name: str) -> ReadableSpan:
    [span] = [
        span
        for span in spans
        if span.kind is SpanKind.SERVER
        and span.name == name
        and span.resource.attributes["service.name"] == service
    ]
    return span


def parent_of(span: ReadableSpan, spans: Sequence[ReadableSpan]) -> ReadableSpan:
    assert span.parent is not None, f"{span.name} has no parent"
    [parent] = [s for s in spans if s.context.span_id == span.parent.span_id]
    return parent


def ancestors(span: ReadableSpan, spans: Sequence[ReadableSpan]) -> list[ReadableSpan]:
    chain = []
    while span.parent is not None:
        span = parent_of(span, spans)
        chain.append(span)
    return chain


def service_of(span: ReadableSpan) -> Any:
    return span.resource.attributes["service.name"]


async def test_booking_is_one_trace_across_booking_user_and_event_services(
    traced_platform: TracedPlatform,
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    user: TestUser,
) -> None:
    event = await create_event(events_client, organizer.headers, total_tickets=5)

    response = await book(traced_platform.bookings, user.headers, event["id"], tickets=2)

    assert response.status_code == 201, response.text
    spans = traced_platform.spans()
    booking = server_span(spans, "booking-service", "POST /bookings")
    user_lookup = server_span(spans, "user-service", "GET /users/{user_id}")
    reservation = server_span(spans, "event-service", "PUT /events/{event_id}/update_tickets")
    assert booking.parent is None  # the buyer's request starts the trace
    for callee in (user_lookup, reservation):
        assert callee.context.trace_id == booking.context.trace_id
        # The callee's parent is booking-service's client span for that call, made while
        # booking-service served the booking.
        call = parent_of(callee, spans)
        assert (call.kind, service_of(call)) == (SpanKind.CLIENT, "booking-service")
        assert booking in ancestors(call, spans)
    # Each service's store work is in the same trace, below that service's request.
    sql = [s for s in spans if s.attributes and s.attributes.get("db.system") == "postgresql"]
    assert {service_of(s) for s in sql} == {"booking-service", "user-service"}
    mongo = [s for s in spans if s.attributes and s.attributes.get("db.system") == "mongodb"]
    assert {service_of(s) for s in mongo} == {"event-service"}
    assert any(reservation in ancestors(s, spans) for s in mongo)
    assert any(user_lookup in ancestors(s, spans) for s in sql)
    for span in spans:
        assert span.context.trace_id == booking.context.trace_id, span.name


async def test_services_log_the_booking_under_its_request_id_and_trace_id(
    traced_platform: TracedPlatform,
    events_client: httpx.AsyncClient,
    organizer: TestUser,
    user: TestUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    event = await create_event(events_client, organizer.headers, total_tickets=5)

    with caplog.at_level(logging.INFO, logger="access"):
        response = await book(traced_platform.bookings, user.headers, event["id"])

    assert response.status_code == 201, response.text
    booking = server_span(traced_platform.spans(), "booking-service", "POST /bookings")
    trace_id = format_trace_id(booking.context.trace_id)
    request_id = response.headers["x-request-id"]
    lines = [
        json.loads(JsonFormatter("test").format(record))
        for record in caplog.records
        if record.name == "access"
    ]
    served = {line["route"]: line for line in lines if line.get("trace_id") == trace_id}
    assert {"/bookings", "/users/{user_id}", "/events/{event_id}/update_tickets"} <= set(served)
    # The request id travels with the calls too, so one id finds the lines of all three.
    assert {served[route]["request_id"] for route in served} == {request_id}
