"""A small local stand-in for Twilio's Messages API, and the twilio HTTP client pointed at it.

``TwilioStub`` answers ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` (form-encoded,
HTTP Basic auth with the account SID and auth token) like Twilio: 201 and the message JSON with
an ``SM...`` sid, or Twilio's error JSON. ``failures`` maps a destination number to the answer
to give instead (a Twilio error code, an HTTP 5xx, or ``"hang"`` to sleep past the timeout).
Test settings only: production uses twilio's own client and https://api.twilio.com.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit, urlunsplit

from twilio.http.http_client import TwilioHttpClient

ERRORS = {
    21211: (400, "The 'To' number {to} is not a valid phone number."),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21614: (400, "'To' number is not a valid mobile number"),
    20003: (401, "Authenticate"),
    20500: (500, "Internal Server Error"),
    20503: (503, "Service Unavailable"),
}


class TwilioStub:
    """The server; ``messages`` holds every accepted message (dicts of the posted form)."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        self.messages: list[dict[str, str]] = []
        self.failures: dict[str, int | str] = {}
        self.requests = 0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep pytest output clean
                pass

            def do_POST(self) -> None:
                stub.requests += 1
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                expected = f"/2010-04-01/Accounts/{stub.account_sid}/Messages.json"
                credentials = base64.b64encode(f"{stub.account_sid}:{stub.auth_token}".encode()).decode()
                if self.headers.get("Authorization") != f"Basic {credentials}":
                    return self.error(20003, form)
                if self.path != expected:
                    return self.reply(404, {"code": 20404, "message": "The requested resource was not found"})
                if "To" not in form or "Body" not in form or not ("From" in form or "MessagingServiceSid" in form):
                    return self.reply(400, {"code": 21604, "message": "A 'To' phone number is required."})
                failure = stub.failures.get(form["To"])
                if failure == "hang":
                    time.sleep(3)
                    return self.reply(504, {"code": 20504, "message": "late"})
                if failure is not None:
                    return self.error(int(failure), form)
                sid = "SM" + secrets.token_hex(16)
                stub.messages.append(form)
                self.reply(
                    201,
                    {
                        "sid": sid,
                        "account_sid": stub.account_sid,
                        "to": form["To"],
                        "from": form.get("From"),
                        "messaging_service_sid": form.get("MessagingServiceSid"),
                        "body": form["Body"],
                        "status": "queued",
                        "num_segments": "1",
                        "direction": "outbound-api",
                        "api_version": "2010-04-01",
                        "price": None,
                        "error_code": None,
                        "error_message": None,
                        "uri": f"/2010-04-01/Accounts/{stub.account_sid}/Messages/{sid}.json",
                    },
                )

            def error(self, code: int, form: dict[str, str]) -> None:
                status, message = ERRORS[code]
                self.reply(
                    status,
                    {
                        "code": code,
                        "message": message.format(to=form.get("To", "")),
                        "more_info": f"https://www.twilio.com/docs/errors/{code}",
                        "status": status,
                    },
                )

            def reply(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> TwilioStub:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class LocalTwilioHttpClient(TwilioHttpClient):
    """twilio's own HTTP client, sending to :attr:`base_url` instead of https://api.twilio.com."""

    base_url = ""

    def request(self, method, url, *args, **kwargs):
        target = urlsplit(type(self).base_url)
        parts = urlsplit(url)
        url = urlunsplit((target.scheme, target.netloc, parts.path, parts.query, parts.fragment))
        return super().request(method, url, *args, **kwargs)
