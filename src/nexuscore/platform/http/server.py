"""The HTTP server's own refusals as problems too.

uvicorn answers a request it cannot parse (a request line or headers past the parser's limit,
e.g. a 100,000-character query string, or broken HTTP) itself, before the app sees it, with a
`text/plain` 400. This protocol answers the same refusal as `application/problem+json`, so a
client gets one error shape whatever it sent. `nexuscore serve` runs uvicorn with it.
"""

from __future__ import annotations

import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from nexuscore.platform.http.problems import PROBLEM_JSON, problem_type

PROBLEM_HTTP_PROTOCOL = "nexuscore.platform.http.server:ProblemHttpToolsProtocol"
_BODY = json.dumps(
    {
        "type": problem_type("malformed-request"),
        "title": "Malformed Request",
        "status": 400,
        "detail": "The request is not valid HTTP/1.1, or its request line or headers are too long "
        "(keep the URL under 16 KB).",
    }
).encode()


class ProblemHttpToolsProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        content = [b"HTTP/1.1 400 Bad Request\r\n"]
        for name, value in self.server_state.default_headers:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend(
            [
                b"content-type: " + PROBLEM_JSON.encode() + b"\r\n",
                b"content-length: " + str(len(_BODY)).encode("ascii") + b"\r\n",
                b"x-content-type-options: nosniff\r\n",
                b"cache-control: no-store\r\n",
                b"connection: close\r\n",
                b"\r\n",
                _BODY,
            ]
        )
        self.transport.write(b"".join(content))
        self.transport.close()
