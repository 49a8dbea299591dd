#!/usr/bin/env python3
"""Medians of tracing-bench.sh's wrk runs: requests/s, p50, p99, and each setting against tracing off."""
import statistics
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from summarize import parse  # noqa: E402  (same wrk parsing)

out, rounds, title = sys.argv[1], int(sys.argv[2]), sys.argv[3]
print(f"### {title}\n")
print("| filters | tracing | requests/s per round | median | vs off | p50 ms | p99 ms | non-2xx |")
print("|---|---|---|---|---|---|---|---|")
for filters in ("0", "5"):
    base = None
    for setting, label in (("off", "off"), ("1pct", "1 %"), ("100pct", "100 %")):
        runs = [parse(f"{out}/{setting}-{filters}.round{r}.txt") for r in range(1, rounds + 1)]
        med = statistics.median(x[0] for x in runs)
        base = base or med
        print(f"| {filters} | {label} | {' / '.join(f'{x[0]:.0f}' for x in runs)} | {med:.0f} | "
              f"{med / base - 1:+.1%} | {statistics.median(x[1] for x in runs):.2f} | "
              f"{statistics.median(x[2] for x in runs):.2f} | {sum(x[3] for x in runs)} |")
