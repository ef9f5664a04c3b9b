"""Keeping access tokens out of the logs.

Browsers may pass the WebSocket's token in the query string (`?token=...`), and uvicorn logs
each WebSocket with its query string; this filter blanks the token's value in those lines.
"""

import logging
import re
from typing import Any

_TOKEN_IN_QUERY = re.compile(r"(?i)([?&](?:access_)?token=)[^&\s\"']+")
REDACTED = r"\1[redacted]"


def redact(value: Any) -> Any:
    return _TOKEN_IN_QUERY.sub(REDACTED, value) if isinstance(value, str) else value


class RedactQueryTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: redact(arg) for key, arg in record.args.items()}
        return True


def redact_tokens_in_server_logs() -> None:
    """Install the filter on uvicorn's logger, once per process."""
    server_logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(each, RedactQueryTokens) for each in server_logger.filters):
        server_logger.addFilter(RedactQueryTokens())
