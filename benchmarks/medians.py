#!/usr/bin/env python3
"""Prints the median (and min/max) over all measured iterations of all forks of a JMH JSON result."""
import json
import statistics
import sys

for path in sys.argv[1:]:
    runs = json.load(open(path))
    if runs:
        print(f"{path}: JDK {runs[0]['jdkVersion']} ({runs[0]['vmName']}), {runs[0]['forks']} forks")
    for r in runs:
        raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
        params = ",".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
        name = r["benchmark"].removeprefix("io.wasmesh.benchmarks.") + (f" [{params}]" if params else "")
        unit = r["primaryMetric"]["scoreUnit"]
        print(f"  {name:70s} median {statistics.median(raw):12.3f} {unit:6s}"
              f" (min {min(raw):.3f}, max {max(raw):.3f}, n={len(raw)})")
