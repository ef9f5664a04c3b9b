"""SMTP on 1025, keeping every message in memory; a Mailpit-shaped JSON list of them on 8025."""

import email
import email.policy
import json
import signal
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

MESSAGES: list[dict[str, object]] = []
LOCK = threading.Lock()


class Keep:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        body = parsed.get_body(preferencelist=("plain",))
        with LOCK:
            MESSAGES.append(
                {
                    "ID": uuid.uuid4().hex,
                    "MessageID": str(parsed.get("Message-ID", "")),
                    "From": {"Address": envelope.mail_from},
                    "To": [{"Address": address} for address in envelope.rcpt_tos],
                    "Subject": str(parsed.get("Subject", "")),
                    "Snippet": body.get_content()[:200] if body is not None else "",
                    "Created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                }
            )
        return "250 Message accepted"


class Api(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/api/v1/messages"):
            with LOCK:
                listed = list(reversed(MESSAGES))  # newest first, as Mailpit lists them
            payload = {"total": len(listed), "count": len(listed), "messages": listed}
        elif self.path == "/readyz":
            payload = {"ok": True}
        else:
            self.send_error(404)
            return
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    # As PID 1 in a container, SIGTERM does nothing unless handled: stop at once.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    controller = Controller(Keep(), hostname="0.0.0.0", port=1025)  # noqa: S104
    controller.start()
    print("mail sink: SMTP on 1025, API on 8025", flush=True)
    ThreadingHTTPServer(("0.0.0.0", 8025), Api).serve_forever()  # noqa: S104
