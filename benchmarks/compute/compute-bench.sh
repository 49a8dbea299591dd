#!/usr/bin/env bash
# The thumbnail kernel (services/thumbnail/thumbnail.c: box-filter downscale of a SIDE x SIDE (default 1900) RGB
# image to 128 wide) on identical C code: native (clang -O2), Wasm in Endive (compiled, JDK 17 and
# the newest JDK), Wasm in Node, and the same algorithm in Java. Each runs RUNS kernel calls in one
# process after loading the image and prints the median; the first calls are its warm-up.
#
#   benchmarks/compute/compute-bench.sh        (needs clang + wasi-libc: scripts/install-wasm-toolchains.sh)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/benchmarks/compute"
runs="${RUNS:-60}"
work="$(mktemp -d /tmp/wasmesh-compute.XXXXXX)"
jar="$root/benchmarks/target/benchmarks.jar"
[[ -f $jar ]] || (cd "$root" && mvn -q -B -DskipTests -Dspotless.check.skip=true -pl benchmarks -am package)

python3 - "$work/image.ppm" "${SIDE:-1900}" <<'PY'
import sys
w = h = int(sys.argv[2])
with open(sys.argv[1], "wb") as f:
    f.write(b"P6\n%d %d\n255\n" % (w, h))
    row = bytearray()
    for y in range(h):
        row.clear()
        for x in range(w):
            row += bytes(((x * 7 + y) & 255, (x ^ y) & 255, (y * 3) & 255))
        f.write(row)
PY
clang -O2 -o "$work/kernel_native" "$here/kernel_bench.c"
clang --target=wasm32-wasi -O2 -Wl,--strip-all -o "$work/kernel_bench.wasm" "$here/kernel_bench.c"

echo "| runtime | median ms per kernel call |"
echo "|---|---|"
echo "| native clang -O2 | $("$work/kernel_native" "$work/image.ppm" "$runs") |"
for jdk in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
  [[ -x $jdk/bin/java ]] || continue
  v="$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.version =/{print $2}')"
  echo "| Wasm, Endive compiled, JDK $v | $("$jdk/bin/java" -Xss8m -XX:-DontCompileHugeMethods -cp "$jar" io.wasmesh.benchmarks.ComputeKernelBench wasm "$work/kernel_bench.wasm" "$work/image.ppm" "$runs") |"
  echo "| Java port, JDK $v | $("$jdk/bin/java" -cp "$jar" io.wasmesh.benchmarks.ComputeKernelBench java "$work/image.ppm" "$runs") |"
done
if command -v node >/dev/null; then
  echo "| Wasm, Node $(node --version) | $(node --no-warnings "$here/node-run.mjs" "$work/kernel_bench.wasm" "$work/image.ppm" "$runs") |"
fi
rm -rf "$work"
