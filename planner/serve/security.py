"""What every request to `plan serve` passes through: the token (when one is set), the Host header
(a page on another site cannot reach a loopback server through DNS rebinding), the Origin of a
form or API write (no cross-site submissions), the upload size cap, and strict response headers
(no script or style from anywhere but the app itself)."""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_COOKIE = "plan_token"
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'")
# The HTML report: its own inline styles, no script at all, shown in a frame of the app only.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Guard:
    """Pure ASGI middleware: token, Host, Origin, body size, headers."""

    def __init__(self, app: ASGIApp, token: str | None, bind_host: str, max_body: int) -> None:
        self.app, self.token, self.max_body = app, token, max_body
        self.bind_host = bind_host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = _hostname(headers.get("host", ""))
        if not self._host_allowed(host):
            await _plain(send, 421, "unknown host")
            return
        origin = headers.get("origin")
        if scope["method"] not in SAFE_METHODS and origin not in (None, "null") and \
                urlsplit(origin).netloc != headers.get("host"):
            await _plain(send, 403, "cross-site request refused")
            return
        if self.token is not None:
            given = _given_token(scope, headers)
            if given is None or not hmac.compare_digest(given.encode(), self.token.encode()):
                await _plain(send, 401, "a valid token is needed: open the address `plan serve` printed, "
                                        "or send Authorization: Bearer TOKEN")
                return
            if _query_token(scope) is not None and scope["method"] == "GET":
                await _redirect_without_token(scope, send, self.token)
                return
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await _plain(send, 413, f"request over the {self.max_body // 2**20} MB limit")
            return
        await self.app(scope, _capped(receive, self.max_body), _with_headers(send, scope["path"]))

    def _host_allowed(self, host: str) -> bool:
        if self.token is not None and not is_loopback(self.bind_host):
            return True  # served on a network: the token is the check
        return is_loopback(host) or host == self.bind_host


def _hostname(host: str) -> str:
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _query_token(scope: Scope) -> str | None:
    for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1")):
        if k == "token":
            return v
    return None


def _given_token(scope: Scope, headers: dict[str, str]) -> str | None:
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    query = _query_token(scope)
    if query is not None:
        return query
    cookie: SimpleCookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:
        return None
    return cookie[TOKEN_COOKIE].value if TOKEN_COOKIE in cookie else None


async def _redirect_without_token(scope: Scope, send: Send, token: str) -> None:
    """`/?token=…` (the address printed) → the same page without it, the token kept in a cookie."""
    rest = [(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1")) if k != "token"]
    location = scope["path"] + ("?" + urlencode(rest) if rest else "")
    await send({"type": "http.response.start", "status": 303, "headers": [
        (b"location", location.encode("latin-1", "replace")),
        (b"set-cookie", f"{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict".encode("latin-1")),
        (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})


async def _plain(send: Send, status: int, text: str) -> None:
    body = json.dumps({"detail": text}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class BodyTooLarge(Exception):
    pass


def _capped(receive: Receive, limit: int) -> Receive:
    """A body sent without Content-Length (chunked) is cut off at the limit too."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(f"request over {limit} bytes")
        return message

    return wrapped


def _with_headers(send: Send, path: str) -> Send:
    report = path.endswith(".html") and path.startswith("/api/")

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {k.lower() for k, _ in headers}
            extra = {b"x-content-type-options": b"nosniff", b"referrer-policy": b"no-referrer",
                     b"x-frame-options": b"SAMEORIGIN",
                     b"content-security-policy": (REPORT_CSP if report else PAGE_CSP).encode()}
            headers += [(k, v) for k, v in extra.items() if k not in names]
            message = {**message, "headers": headers}
        await send(message)

    return wrapped
