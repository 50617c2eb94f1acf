"""Prometheus metrics shared by every process: request latency by route, and the exposition
of everything registered (by contexts' adapters too).

Several processes (API replicas, uvicorn workers, taskiq workers) report one total when
PROMETHEUS_MULTIPROC_DIR names a directory they share: prometheus-client then keeps every
value in per-process files and the exposition aggregates them (the directory must be emptied
when the processes start, as the library's documentation says).
"""

from __future__ import annotations

import math
import os
from bisect import bisect_left
from collections.abc import Iterator
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
from prometheus_client.core import HistogramMetricFamily
from prometheus_client.utils import floatToGoString

from nexuscore.platform.settings import Settings

REQUEST_LATENCY_NAME = "http_request_duration_seconds"
REQUEST_LATENCY_HELP = "HTTP request latency by route template, method and status class."
REQUEST_LATENCY_LABELS = ("method", "route", "status")
REQUEST_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
UNMATCHED_ROUTE = "unmatched"  # 404s and refusals before routing: one label, not one per path
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER_METHOD = "OTHER"  # a client's invented method must not mint a series of its own
_SeriesKey = tuple[str, str | None, int]  # (method, route template, status class)


def _labels(key: _SeriesKey) -> tuple[str, str, str]:
    return key[0], key[1] or UNMATCHED_ROUTE, f"{key[2]}xx"


class RequestLatency:
    """`http_request_duration_seconds` for one process, as prometheus-client's Histogram
    exposes it, at less than half its cost per observation.

    Why not the Histogram: its `observe` takes a lock for the sum and another for the bucket,
    about 8,000 CPU instructions on every request (a fortieth of a `GET /health/live`), against
    under 4,000 for these counters, call included (`bench/asgi_instructions.py`). Requests
    are observed on the event loop's thread only, so plain counters suffice; a scrape (from the
    loop or from the metrics port's thread) copies each series before it sums it, so a bucket
    never exceeds the count. `tests/unit/platform/test_request_latency.py` holds the two to the
    same exposition.
    """

    def __init__(self, buckets: tuple[float, ...] = REQUEST_LATENCY_BUCKETS) -> None:
        self._bounds = (*buckets, math.inf)
        self._sum_index = len(self._bounds)
        # Per series: one count per bucket (not cumulative), then the sum of the observations.
        self._series: dict[_SeriesKey, list[float]] = {}

    def observe(self, method: str, route: str | None, status: int, seconds: float) -> None:
        key = (method if method in _METHODS else OTHER_METHOD, route, status // 100)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = [0] * self._sum_index + [0.0]
        series[bisect_left(self._bounds, seconds)] += 1  # the first bound >= seconds, as `le` means
        series[-1] += seconds

    def collect(self) -> Iterator[HistogramMetricFamily]:
        family = HistogramMetricFamily(REQUEST_LATENCY_NAME, REQUEST_LATENCY_HELP, labels=REQUEST_LATENCY_LABELS)
        for key, series in list(self._series.items()):
            counts = list(series)  # one snapshot: the buckets, count and sum agree with each other
            cumulative, buckets = 0.0, []
            for bound, count in zip(self._bounds, counts[:-1], strict=True):  # the sum is last
                cumulative += count
                buckets.append((floatToGoString(bound), cumulative))  # type: ignore[no-untyped-call]
            family.add_metric(_labels(key), buckets, counts[-1])
        yield family


class MultiprocessRequestLatency:
    """The same series through prometheus-client's Histogram, whose values live in the shared
    PROMETHEUS_MULTIPROC_DIR files, so the exposition aggregates them over processes."""

    def __init__(self, registry: CollectorRegistry | None = REGISTRY) -> None:
        self._histogram = Histogram(
            REQUEST_LATENCY_NAME,
            REQUEST_LATENCY_HELP,
            REQUEST_LATENCY_LABELS,
            buckets=REQUEST_LATENCY_BUCKETS,
            registry=registry,
        )
        # labels() validates and locks on every call; the set of series is small and fixed.
        self._children: dict[_SeriesKey, Any] = {}

    def observe(self, method: str, route: str | None, status: int, seconds: float) -> None:
        key = (method if method in _METHODS else OTHER_METHOD, route, status // 100)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = self._histogram.labels(*_labels(key))
        child.observe(seconds)


def _request_latency() -> RequestLatency | MultiprocessRequestLatency:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return MultiprocessRequestLatency()
    latency = RequestLatency()
    REGISTRY.register(latency)
    return latency


REQUEST_LATENCY = _request_latency()
observe_request = REQUEST_LATENCY.observe


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
