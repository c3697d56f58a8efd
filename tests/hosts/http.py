"""Plain HTTP for the two-host test, with the standard library (requests and httpx are not requirements).

A ``Person`` is one browser: its cookies and CSRF token are its own, not a host's, so that what host A set is
sent to host B, as a browser does behind a load balancer that spreads requests over hosts of one address. It
sends the X-Forwarded-For a reverse proxy would add for its address.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from http.cookies import SimpleCookie

from tests.builders import PASSWORD

USER_AGENT = "two-hosts-test/1"
# No proxy from the environment (http_proxy) between the test and 127.0.0.1; no redirect followed.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Message
    body: bytes

    def json(self):
        return json.loads(self.body) if self.body else None


def _send(request: urllib.request.Request) -> Reply:
    try:
        with _OPENER.open(request, timeout=30) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:  # 304 and 4xx/5xx come as errors: they are answers here
        with error:
            return Reply(error.code, error.headers, error.read())


def get_json(url: str):
    """GET ``url`` as nobody; raises OSError while nothing answers."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310  (http://127.0.0.1)
    return _send(request).json()


class Person:
    """Someone at ``address`` with a browser of their own, calling any host by its full URL."""

    def __init__(self, address: str):
        self.address = address
        self.cookies: dict[str, str] = {}
        self.csrf: str | None = None

    def request(self, method: str, url: str, body=None, headers: dict | None = None) -> Reply:
        sent = {"User-Agent": USER_AGENT, "X-Forwarded-For": self.address, "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            sent["Content-Type"] = "application/json"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self.csrf and method != "GET":
            sent["X-CSRFToken"] = self.csrf
        sent.update(headers or {})
        request = urllib.request.Request(url, data=data, headers=sent, method=method)  # noqa: S310  (the hosts')
        reply = _send(request)
        for header in reply.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return reply

    def get(self, url: str, **headers) -> Reply:
        return self.request("GET", url, headers=headers)

    def post(self, url: str, body=None) -> Reply:
        return self.request("POST", url, body)

    def put(self, url: str, body=None) -> Reply:
        return self.request("PUT", url, body)

    def log_in(self, host: str, username: str, password: str = PASSWORD) -> Reply:
        """Fetch a CSRF token from ``host`` and log in there through the API."""
        self.csrf = self.get(host + "/api/v1/auth/csrf").json()["csrf_token"]
        return self.post(host + "/api/v1/auth/login", {"username": username, "password": password})
