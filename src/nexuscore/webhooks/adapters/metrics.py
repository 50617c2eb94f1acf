"""The inbox's Prometheus metrics (exposed by the platform's /metrics route). With
PROMETHEUS_MULTIPROC_DIR set, prometheus-client keeps them in per-process files that the
route aggregates, so several API and worker processes report one total."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

RECEIVED = Counter("webhooks_received_total", "Webhook deliveries stored as new events.", ["provider", "type"])
DUPLICATES = Counter("webhooks_duplicates_total", "Deliveries of an event already stored.", ["provider"])
REJECTED = Counter("webhooks_rejected_total", "Deliveries refused before storage, by cause.", ["provider", "cause"])
PROCESSED = Counter("webhooks_outcomes_total", "Processing attempts by outcome.", ["provider", "outcome"])
RETRIES = Counter("webhooks_retries_total", "Failed attempts that will be retried.", ["provider"])
DEAD = Counter("webhooks_dead_total", "Events given up on after their last attempt.", ["provider"])
LAG = Histogram(
    "webhooks_processing_lag_seconds",
    "From storage to a final outcome.",
    ["provider"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400),
)
OLDEST_UNFINISHED = Gauge(
    "webhooks_oldest_unfinished_age_seconds",
    "Age of the oldest event not yet processed (set by the sweeper).",
    multiprocess_mode="max",
)
