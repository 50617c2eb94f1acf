"""Scale curve (issue 16): GET /leads p50 at 10k, 100k and 1M leads in the organisation.

Runs bench/leads.py once per size (COPY seeding, the same server, floors and checks), keeps each
run's JSON, then plots p50 per query against the size as a PNG with matplotlib from the bench's
own environment (bench/.venv-peers, never the product's).

    .venv/bin/python bench/scale_curve.py                           # 10k, 100k, 1M; newest, status, q, tag
    .venv/bin/python bench/scale_curve.py --sizes 10000,100000 --seconds 2
    just bench-scale
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from peers.runner import peer_python  # noqa: E402

RESULTS = BENCH_DIR / "results"
DEFAULT_PNG = BENCH_DIR / "scale_curve.png"
DEFAULT_QUERIES = "newest,status_by_score,search,tag_owner_follow_up"

PLOT = r"""
import json, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
data = json.load(open(sys.argv[1]))
fig, ax = plt.subplots(figsize=(8, 5))
for name, points in data["series"].items():
    xs = [p["leads"] for p in points]
    ax.plot(xs, [p["api_p50_ms"] for p in points], marker="o", label=f"NexusCore {name}")
    ax.plot(xs, [p["floor_p50_ms"] for p in points], marker=".", linestyle=":", label=f"floor {name}")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("leads in the organisation")
ax.set_ylabel("p50 ms (limit 50)")
ax.set_title("GET /leads p50 by organisation size (" + data["note"] + ")")
ax.grid(True, which="both", alpha=0.3)
ax.legend(fontsize=7, ncol=2)
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=110)
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="leads in the measured organisation")
    parser.add_argument("--queries", default=DEFAULT_QUERIES, help=f"leads.py query names (default {DEFAULT_QUERIES})")
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--png", type=Path, default=DEFAULT_PNG)
    parser.add_argument("--peer", action="store_true", help="also run the Django peer at each size")
    args = parser.parse_args(argv)
    series: dict[str, list[dict[str, object]]] = {}
    loads: list[str] = []
    for size in [int(s) for s in args.sizes.split(",")]:
        output = RESULTS / f"scale_{size}.json"
        command = [
            sys.executable, str(BENCH_DIR / "leads.py"), "--scenario", "list", "--leads", str(size),
            "--other-leads", str(max(1000, size // 5)), "--seconds", str(args.seconds), "--rounds", str(args.rounds),
            "--queries", args.queries, "--skip-request-sql", "--output", str(output),
        ]  # fmt: skip
        if not args.peer:
            command.append("--no-peer")
        print(f"== {size:,} leads: {' '.join(command[1:])}", flush=True)
        subprocess.run(command, check=False)
        run = json.loads(output.read_text())
        loads.append(f"{size:,}: load {run['environment']['loadavg_before']}")
        for name, entry in run["list"].items():
            series.setdefault(name, []).append(
                {
                    "leads": size,
                    "api_p50_ms": entry["api"]["p50_ms"],
                    "floor_p50_ms": entry["floor"]["p50_ms"],
                    "total": entry["total"],
                    "total_is_exact": entry.get("total_is_exact", True),
                }
            )
    worst = max((float(x.split("[")[1].split(",")[0]) for x in loads if "[" in x), default=0.0)
    summary = {"series": series, "note": f"one run per size; load average up to {worst:.1f}", "loadavg": loads}
    data_file = RESULTS / "scale_curve.json"
    data_file.write_text(json.dumps(summary, indent=2) + "\n")
    print()
    print(f"{'query':<22} " + " ".join(f"{p['leads']:>12,}" for p in next(iter(series.values()))) + "   p50 growth")
    for name, points in series.items():
        cells = " ".join(f"{p['api_p50_ms']:>9.2f} ms" for p in points)
        growth = points[-1]["api_p50_ms"] / points[0]["api_p50_ms"] if points[0]["api_p50_ms"] else float("nan")
        totals = ", ".join(f"{p['total']}{'' if p['total_is_exact'] else '+'}" for p in points)
        print(f"{name:<22} {cells}   {growth:.2f}x  (total {totals})")
    print("load average at each start: " + "; ".join(loads))
    subprocess.run([str(peer_python()), "-c", PLOT, str(data_file), str(args.png)], check=True)
    print(f"wrote {args.png} and {data_file}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
