"""Structured JSON logs, each line carrying the request id of the request that wrote it, and its
trace and span ids when tracing is on."""

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from opentelemetry.trace import format_span_id, format_trace_id, get_current_span

from service_kit.context import current_request_id

_RESERVED = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "color_message",
}


_HANDLER_NAME = "service_kit"
_base_record_factory = logging.getLogRecordFactory()


def _record_with_request_id(*args: Any, **kwargs: Any) -> logging.LogRecord:
    # Stamped when the record is made, so every handler (and pytest's caplog) sees the id.
    record = _base_record_factory(*args, **kwargs)
    record.request_id = current_request_id()
    return record


def _record_with_request_and_trace_ids(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _record_with_request_id(*args, **kwargs)
    span_context = get_current_span().get_span_context()
    if span_context.trace_flags.sampled:  # a trace that is recorded, so one can look it up
        record.trace_id = format_trace_id(span_context.trace_id)
        record.span_id = format_span_id(span_context.span_id)
    return record


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_") and value is not None:
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


_UNREACHABLE = "StoreUnreachableError: "


class _OneLineStartupFailure(logging.Filter):
    """A start that failed because a store is down logs its one clear line, not a traceback.

    Starlette hands uvicorn the formatted traceback of a failed lifespan; when it ends in the
    kit's `StoreUnreachableError`, only that error's message is kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and _UNREACHABLE in record.msg:
            record.msg = record.msg.rpartition(_UNREACHABLE)[2].strip()
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True


def configure_logging(
    *, service: str, level: str = "INFO", json_lines: bool = True, trace_ids: bool = False
) -> None:
    """Route every logger (uvicorn's included) through one handler on stdout.

    `trace_ids` stamps the current trace and span ids on each record (when tracing is on).
    """
    logging.setLogRecordFactory(
        _record_with_request_and_trace_ids if trace_ids else _record_with_request_id
    )
    handler = logging.StreamHandler(sys.stdout)
    if json_lines:
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    handler.set_name(_HANDLER_NAME)
    handler.addFilter(_OneLineStartupFailure())
    root = logging.getLogger()
    # Replace our own handler when an app is built again; leave other tools' handlers alone.
    root.handlers[:] = [h for h in root.handlers if h.get_name() != _HANDLER_NAME] + [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    # Our middleware writes one access line per request, with the request id.
    logging.getLogger("uvicorn.access").disabled = True
