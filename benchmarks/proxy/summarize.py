#!/usr/bin/env python3
"""Medians of the wrk runs of proxy-bench.sh: requests/s, p50 and p99, and ratios to direct and nginx."""
import os
import re
import statistics
import sys

def ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = ms(re.search(r"\s50%\s+(\S+)", text).group(1))
    p99 = ms(re.search(r"\s99%\s+(\S+)", text).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return rps, p50, p99, int(errors.group(1)) if errors else 0



def main():
    out, rounds, title = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    # the targets, direct and nginx first; the third is the one the others are also compared with
    names = sys.argv[4].split(",") if len(sys.argv) > 4 else ["direct", "nginx", "wasmesh-0", "wasmesh-1", "wasmesh-5"]
    rows = {}
    for n in names:
        runs = [parse(f"{out}/{n}.round{r}.txt") for r in range(1, rounds + 1)]
        rows[n] = {
            "rps": [x[0] for x in runs],
            "p50": statistics.median(x[1] for x in runs),
            "p99": statistics.median(x[2] for x in runs),
            "errors": sum(x[3] for x in runs),
        }
    direct = statistics.median(rows["direct"]["rps"])
    nginx = statistics.median(rows["nginx"]["rps"])
    w0 = statistics.median(rows[names[2]]["rps"])
    print(f"### {title}\n")
    print(f"| target | requests/s per round | median | vs direct | vs nginx | vs {names[2]} | p50 ms | p99 ms | non-2xx |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in names:
        r = rows[n]
        med = statistics.median(r["rps"])
        print(f"| {n} | {' / '.join(f'{x:.0f}' for x in r['rps'])} | {med:.0f} | {med / direct:.3f} | "
              f"{med / nginx:.2f} | {med / w0:.3f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} |")
    paced = {n: [f"{out}/{n}.paced{r}.txt" for r in range(1, rounds + 1)] for n in names}
    if all(os.path.exists(f) for files in paced.values() for f in files):
        print("\n### Paced: every target offered the same load (PACED_RPS), latency below saturation\n")
        print("| target | requests/s reached | p50 ms | p99 ms | p99 added vs direct, ms | non-2xx |")
        print("|---|---|---|---|---|---|")
        medians = {}
        for n in names:
            runs = [parse(f) for f in paced[n]]
            medians[n] = [statistics.median(x[i] for x in runs) for i in range(3)] + [sum(x[3] for x in runs)]
        for n in names:
            rps, p50, p99, errors = medians[n]
            print(f"| {n} | {rps:.0f} | {p50:.2f} | {p99:.2f} | {p99 - medians['direct'][2]:+.2f} | {errors} |")


if __name__ == "__main__":
    main()
