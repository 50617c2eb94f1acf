"""The request-latency series: our lock-free RequestLatency against prometheus-client's
Histogram (what MultiprocessRequestLatency uses), fed the same observations."""

from __future__ import annotations

import math

from prometheus_client import CollectorRegistry, generate_latest

from nexuscore.platform.metrics import REQUEST_LATENCY_BUCKETS, MultiprocessRequestLatency, RequestLatency

OBSERVATIONS = [
    ("GET", "/api/v1/leads", 200, 0.0),
    ("GET", "/api/v1/leads", 200, 0.005),  # on a bound: counted in le="0.005", as `le` means
    ("GET", "/api/v1/leads", 201, 0.0050001),
    ("GET", "/api/v1/leads", 204, 0.01),
    ("GET", "/api/v1/leads", 299, 0.7),
    ("GET", "/api/v1/leads", 422, 0.02),
    ("POST", "/api/v1/leads", 201, 31.0),  # past the last bound: only +Inf
    ("BREW", None, 405, 0.001),  # an invented method and no route: OTHER / unmatched
    ("GET", None, 404, 0.003),
    ("DELETE", "/api/v1/leads/{lead_id:uuid}", 503, 2.5),
]


def _exposition(observe_into: type[RequestLatency] | type[MultiprocessRequestLatency]) -> list[str]:
    registry = CollectorRegistry()
    if observe_into is RequestLatency:
        latency: RequestLatency | MultiprocessRequestLatency = RequestLatency()
        registry.register(latency)
    else:
        latency = MultiprocessRequestLatency(registry=registry)
    for observation in OBSERVATIONS:
        latency.observe(*observation)
    text = generate_latest(registry).decode()
    # prometheus-client's Histogram adds a `_created` timestamp per series; the rest must match.
    return sorted(line for line in text.splitlines() if "_created" not in line)


def test_the_same_exposition_as_prometheus_clients_histogram() -> None:
    ours, theirs = _exposition(RequestLatency), _exposition(MultiprocessRequestLatency)
    assert ours == theirs
    leads = 'route="/api/v1/leads",status="2xx"}'
    assert f'http_request_duration_seconds_bucket{{le="0.005",method="GET",{leads} 2.0' in ours
    assert 'http_request_duration_seconds_count{method="OTHER",route="unmatched",status="4xx"} 1.0' in ours
    assert f'http_request_duration_seconds_bucket{{le="30.0",method="POST",{leads} 0.0' in ours


def test_buckets_are_cumulative_and_end_in_the_count() -> None:
    latency = RequestLatency()
    seconds = [0.001 * 1.7**i for i in range(25)]
    for value in seconds:
        latency.observe("GET", "/x", 200, value)
    (family,) = latency.collect()
    buckets = [s for s in family.samples if s.name.endswith("_bucket")]
    counts = [s.value for s in buckets]
    assert counts == sorted(counts)
    bounds = [*REQUEST_LATENCY_BUCKETS, math.inf]
    assert counts == [float(sum(1 for v in seconds if v <= bound)) for bound in bounds]
    (count,) = (s.value for s in family.samples if s.name.endswith("_count"))
    (total,) = (s.value for s in family.samples if s.name.endswith("_sum"))
    assert count == len(seconds) and math.isclose(total, sum(seconds))
