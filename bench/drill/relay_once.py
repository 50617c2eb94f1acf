"""One outbox relay pass with the drill's settings (from the environment), as another worker's
relay would run it: fault 4 uses it to put dispatch tasks in the stream while the worker is
paused, so they are waiting there when Redis comes back empty. Prints how many it published."""

from __future__ import annotations

import asyncio

from nexuscore.bootstrap.runtime import build_runtime
from nexuscore.platform.settings import load_settings


async def main() -> None:
    runtime = build_runtime(load_settings(dotenv=None))
    await runtime.broker.startup()
    try:
        print(await runtime.relay.run_once())
    finally:
        await runtime.broker.shutdown()
        await runtime.close()


if __name__ == "__main__":
    asyncio.run(main())
