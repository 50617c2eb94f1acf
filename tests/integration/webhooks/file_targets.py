"""Target fakes that survive a process: state in a JSON file under an exclusive lock, with the
guard of the memory fakes (`adapters/memory/targets.py`), so a test can count effects made
by real worker processes. Control files in the same directory:

- `hold`: after an effect, create `started` and wait until `release` exists (a worker the
  test kills mid-event, after its effect and before the inbox records the outcome);
- `fail-<n>`: the next n syncs fail.
"""

from __future__ import annotations

import asyncio
import dataclasses
import fcntl
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from nexuscore.webhooks.adapters.memory.targets import MemoryBillingProfileSync, MemoryGateway, _guard
from nexuscore.webhooks.ports.targets import SubscriptionSnapshot, SyncOutcome, Targets, TrialEnding

_DATES = ("current_period_start", "current_period_end", "canceled_at", "ended_at", "trial_end", "as_of")


def _dump(snapshot: SubscriptionSnapshot) -> dict[str, Any]:
    raw = dataclasses.asdict(snapshot)
    for name in _DATES:
        raw[name] = raw[name].isoformat() if raw[name] else None
    raw["price_ids"] = list(raw["price_ids"])
    return raw


def _load(raw: dict[str, Any]) -> SubscriptionSnapshot:
    values = dict(raw)
    for name in _DATES:
        values[name] = datetime.fromisoformat(values[name]) if values[name] else None
    values["price_ids"] = tuple(values["price_ids"])
    return SubscriptionSnapshot(**values)


class FileSubscriptionSync:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.state = directory / "subscriptions.json"
        self.effects = directory / "effects.log"

    async def sync_subscription(self, snapshot: SubscriptionSnapshot) -> SyncOutcome:
        failing = sorted(self.directory.glob("fail-*"))
        if failing:
            left = int(failing[0].name.split("-")[1])
            failing[0].unlink()
            if left > 1:
                (self.directory / f"fail-{left - 1}").touch()
            raise RuntimeError("subscription store unavailable (injected)")
        with (self.directory / "lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            stored = json.loads(self.state.read_text()) if self.state.exists() else {}
            key = f"{snapshot.provider}:{snapshot.subscription_id}"
            refused = _guard(_load(stored[key]) if key in stored else None, snapshot)
            if refused is not None:
                return refused
            stored[key] = _dump(snapshot)
            self.state.write_text(json.dumps(stored))
            with self.effects.open("a") as log:
                log.write(f"{key} {snapshot.source_event_id}\n")
        if (self.directory / "hold").exists():
            (self.directory / "started").touch()
            while not (self.directory / "release").exists():
                await asyncio.sleep(0.05)
        return SyncOutcome.APPLIED

    async def trial_will_end(self, notice: TrialEnding) -> None:
        return None


def file_targets(directory: Path) -> Targets:
    return Targets(FileSubscriptionSync(directory), MemoryBillingProfileSync(), MemoryGateway())
