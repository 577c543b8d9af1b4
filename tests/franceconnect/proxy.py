"""A reverse proxy in front of the real OpenID provider, able to tamper with its answers.

The node provider is the issuer (its issuer URL is this proxy's address, as a provider
behind a load balancer would be). Every request goes through unchanged unless a test sets
a tamper hook for a path: ``hooks["/api/v2/token"] = fn(status, headers, body) -> (status,
headers, body)``. That is how attack cases get a *well-signed* token carrying a wrong
``iss``/``aud``/``exp``/``sub``/``kid``: the hook decodes the provider's real answer and
re-signs it with the provider's own private key (which the test generated and handed to the
provider), exactly what a compromised or buggy provider would send.
"""

from __future__ import annotations

import http.client
import threading
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

Hook = Callable[[int, dict[str, str], bytes], tuple[int, dict[str, str], bytes]]
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


class TamperingProxy:
    def __init__(self) -> None:
        self.upstream_port = 0
        self.hooks: dict[str, Hook] = {}
        self.hits: Counter[str] = Counter()
        self.down = False
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep pytest output clean
                pass

            def _forward(self) -> None:
                path = urlsplit(self.path).path
                proxy.hits[path] += 1
                if proxy.down:
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                conn = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=10)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                conn.request(self.command, self.path, body=body, headers=headers)
                upstream = conn.getresponse()
                status, data = upstream.status, upstream.read()
                out_headers = [(k, v) for k, v in upstream.getheaders() if k.lower() not in HOP_BY_HOP]
                conn.close()
                hook = proxy.hooks.get(path)
                if hook is not None:
                    simple = {k.lower(): v for k, v in out_headers if k.lower() != "set-cookie"}
                    status, new_headers, data = hook(status, simple, data)
                    cookies = [(k, v) for k, v in out_headers if k.lower() == "set-cookie"]
                    out_headers = cookies + list(new_headers.items())
                self.send_response(status)
                for k, v in out_headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        self.hooks.clear()
        self.hits.clear()
        self.down = False
