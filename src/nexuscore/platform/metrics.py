"""Prometheus metrics shared by every process: request latency by route, and the exposition
of everything registered (by contexts' adapters too).

Several processes (API replicas, uvicorn workers, taskiq workers) report one total when
PROMETHEUS_MULTIPROC_DIR names a directory they share: prometheus-client then keeps every
value in per-process files and the exposition aggregates them (the directory must be emptied
when the processes start, as the library's documentation says).
"""

from __future__ import annotations

import os
from typing import Any
from wsgiref.simple_server import WSGIServer

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)

from nexuscore.platform.settings import Settings

REQUEST_LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency by route template, method and status class.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
UNMATCHED_ROUTE = "unmatched"  # 404s and refusals before routing: one label, not one per path


# The histogram's child per (method, route, status class): labels() validates and locks on
# every call, and the set is small and fixed (route templates, not paths; known methods).
_REQUEST_LATENCY_CHILDREN: dict[tuple[str, str | None, int], Any] = {}
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER_METHOD = "OTHER"  # a client's invented method must not mint a series of its own


def observe_request(method: str, route: str | None, status: int, seconds: float) -> None:
    key = (method if method in _METHODS else OTHER_METHOD, route, status // 100)
    child = _REQUEST_LATENCY_CHILDREN.get(key)
    if child is None:
        child = REQUEST_LATENCY.labels(key[0], route or UNMATCHED_ROUTE, f"{status // 100}xx")
        _REQUEST_LATENCY_CHILDREN[key] = child
    child.observe(seconds)


def exposition() -> tuple[bytes, str]:
    """The text format of every metric (aggregated over processes in multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def start_metrics_server(settings: Settings) -> WSGIServer | None:
    """METRICS_PORT: the same exposition on an internal port (HOST), for a scraper inside
    the cluster; the public app's /metrics then stays closed in production."""
    if settings.metrics_port is None:
        return None
    registry: CollectorRegistry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    server, _thread = start_http_server(settings.metrics_port, addr=settings.host, registry=registry)
    return server
