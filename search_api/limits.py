"""A per-client rate limit on the routes whose work is expensive (issue 15).

A token bucket per client address: ``rate`` requests a minute, refilled smoothly, with a
burst of the same size. Over it, the request is answered 429 with ``Retry-After``
before any work is done. Only the client's own address counts (a forwarded-for header
is whatever the client says it is). ``TRACUU_RATE_LIMIT=0`` turns it off.
"""

from __future__ import annotations

import math
import threading
import time

from starlette.types import ASGIApp, Receive, Scope, Send

from search_api.errors import RateLimited, error_response

# Paths (after the version prefix is taken off) whose every request costs model time or
# a scan of the corpus.
EXPENSIVE = frozenset({"/api/ask", "/api/similar", "/api/duplicates", "/api/reindex"})
MAX_CLIENTS = 10_000


def api_path(path: str) -> str:
    """``/api/v1/x`` and ``/api/x`` both as ``/api/x``."""
    return "/api" + path[len("/api/v1") :] if path.startswith("/api/v1/") else path


class Buckets:
    """Token buckets by client, thread-safe, bounded in memory."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0
        self._state: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str, now: float | None = None) -> float:
        """Spends one token; returns 0 when allowed, else the seconds until one is back."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, then = self._state.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - then) * self.refill)
            if tokens < 1.0:
                self._state[client] = (tokens, now)
                return (1.0 - tokens) / self.refill
            if len(self._state) >= MAX_CLIENTS and client not in self._state:
                # Forget the clients whose bucket is full again: they lose nothing.
                full = [
                    c
                    for c, (t, s) in self._state.items()
                    if t + (now - s) * self.refill >= self.capacity
                ]
                for c in full:
                    del self._state[c]
            self._state[client] = (tokens - 1.0, now)
            return 0.0


class RateLimit:
    """ASGI middleware answering 429 once a client is over its budget."""

    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.buckets = Buckets(per_minute) if per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.buckets is None
            or scope["type"] != "http"
            or api_path(scope["path"]) not in EXPENSIVE
            or scope["method"] in ("OPTIONS", "HEAD")
        ):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.buckets.take(client)
        if wait:
            seconds = max(1, math.ceil(wait))
            response = error_response(
                RateLimited.code,
                f"too many requests to {api_path(scope['path'])} from this client; "
                f"retry in {seconds} s (limit: {int(self.buckets.capacity)} a minute)",
                headers={"Retry-After": str(seconds)},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
