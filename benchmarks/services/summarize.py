#!/usr/bin/env python3
"""Medians of services-bench.sh's wrk runs, with ratios to the Java handler and the noisy-neighbour p99."""
import os
import re
import statistics
import sys

out, rounds = sys.argv[1], int(sys.argv[2])


def ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse(path):
    text = open(path).read()
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return (float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
            ms(re.search(r"\s50%\s+(\S+)", text).group(1)),
            ms(re.search(r"\s99%\s+(\S+)", text).group(1)),
            int(non2xx.group(1)) if non2xx else 0)


rows = {}
names = ["java-hello", "wagi-hello", "pw-echo", "java-via-proxy", "proxy-answer", "wagi-hello-noisy",
         "wagi-hello-paced", "wagi-hello-paced-noisy"]
for name in [n for n in names if os.path.exists(f"{out}/{n}.round1.txt")]:
    runs = [parse(f"{out}/{name}.round{r}.txt") for r in range(1, rounds + 1)]
    rows[name] = (statistics.median(x[0] for x in runs), statistics.median(x[1] for x in runs),
                  statistics.median(x[2] for x in runs), sum(x[3] for x in runs), [x[0] for x in runs])
java = rows["java-hello"][0]
print("| target | requests/s per round | median | vs java-hello | p50 ms | p99 ms | non-2xx |")
print("|---|---|---|---|---|---|---|")
for name, (rps, p50, p99, errors, per_round) in rows.items():
    print(f"| {name} | {' / '.join(f'{x:.0f}' for x in per_round)} | {rps:.0f} | {rps / java:.2f} | "
          f"{p50:.2f} | {p99:.2f} | {errors} |")
via = rows["java-via-proxy"][0]
print(f"\nbehind the sidecar: wagi-hello {rows['wagi-hello'][0] / via:.2f}x and pw-echo "
      f"{rows['pw-echo'][0] / via:.2f}x the Java handler reached through wasmesh")
if "proxy-answer" in rows:
    floor = rows["proxy-answer"][0]
    print(f"through the proxy at all: its own answer from config (no Wasm) reaches {floor / java:.2f}x java-hello; "
          f"wagi-hello is {rows['wagi-hello'][0] / floor:.2f}x and pw-echo {rows['pw-echo'][0] / floor:.2f}x of that")
quiet, noisy = rows["wagi-hello"][2], rows["wagi-hello-noisy"][2]
print(f"\nnoisy neighbour: quiet tenant p99 {quiet:.2f} ms alone, {noisy:.2f} ms during the flood "
      f"({(noisy / quiet - 1) * 100:+.0f} %)")
if "wagi-hello-paced-noisy" in rows:
    quiet, noisy = rows["wagi-hello-paced"], rows["wagi-hello-paced-noisy"]
    print(f"noisy neighbour, paced (quiet tenant at {quiet[0]:.0f} and {noisy[0]:.0f} requests/s): p99 "
          f"{quiet[2]:.2f} ms alone, {noisy[2]:.2f} ms during the flood ({(noisy[2] / quiet[2] - 1) * 100:+.0f} %)")
