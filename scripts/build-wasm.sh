#!/usr/bin/env bash
# Rebuilds every committed .wasm from source:
#
#   filter-sdk/examples/c/<name>.c            -> filter-sdk/examples/c/<name>.wasm
#   filter-sdk/examples/assemblyscript/       -> filter-sdk/examples/assemblyscript/add_header.wasm
#   wasm-host/src/test/wasm/<name>.c          -> wasm-host/src/test/resources/wasm/<name>.wasm
#   wasm-host/src/test/wasm/commands/<name>.c -> wasm-host/src/test/resources/wasm/<name>.wasm (WASI commands)
#   services/<name>/<name>.c                  -> services/<name>/<name>.wasm
#   services/greeter-as/assembly/index.ts     -> services/greeter-as/greeter.wasm (AssemblyScript)
#     (a WASI command = a WAGI service, unless it includes proxy_wasm.h = a proxy-wasm service)
#
# Toolchains: scripts/install-wasm-toolchains.sh (clang 14 + wasi-libc, wabt,
# Node/npm). The AssemblyScript dependencies are installed with `npm ci` from
# the committed package-lock.json into that example's node_modules.
#
# Deterministic: no debug info, names or producer sections (--strip-all), no
# timestamps or paths in the output, pinned npm versions; running it twice
# yields identical sha256 sums. Can be called from any working directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
C_EXAMPLES="$ROOT/filter-sdk/examples/c"
AS_EXAMPLE="$ROOT/filter-sdk/examples/assemblyscript"
FIXTURE_SRC="$ROOT/wasm-host/src/test/wasm"
FIXTURE_OUT="$ROOT/wasm-host/src/test/resources/wasm"

CC="${CC:-clang}"
AS_VERSION="0.14.13"
PROXY_RUNTIME_VERSION="0.1.8"

# Filters are WASI reactors (exports _initialize) linked against wasi-libc, so
# they have a real malloc/free. Only the env/WASI functions a module calls end
# up as imports.
CFLAGS=(
  --target=wasm32-wasi -O2 -std=c11
  -Wall -Wextra -Wpedantic
  -mexec-model=reactor
  -I "$C_EXAMPLES"
)
LDFLAGS=(
  -Wl,--export=proxy_on_memory_allocate
  -Wl,--strip-all
)

die() {
  echo "build-wasm: $*" >&2
  exit 1
}

require_tools() {
  local tool
  for tool in "$CC" wasm-validate node npm sha256sum; do
    command -v "$tool" >/dev/null 2>&1 ||
      die "'$tool' not found; run scripts/install-wasm-toolchains.sh first"
  done
  # Output bytes depend on the compiler version; the committed modules were
  # built with Debian's clang 14.0.6.
  if ! "$CC" --version | head -n1 | grep -q 'clang version 14\.'; then
    echo "build-wasm: warning: $("$CC" --version | head -n1) is not clang 14;" \
      "outputs will differ from the committed ones" >&2
  fi
}

# Prints "<path relative to repo>  <size> bytes  sha256:<first 16 hex>".
report() {
  local file="$1"
  local size sha
  size=$(stat -c %s "$file")
  sha=$(sha256sum "$file" | cut -c1-16)
  printf '  %-58s %8d bytes  sha256:%s\n' "${file#"$ROOT"/}" "$size" "$sha"
}

# Validates a freshly built temp file, then moves it into place so a failed
# build never leaves a half-written .wasm behind.
install_output() {
  local tmp="$1" out="$2"
  wasm-validate "$tmp" || die "invalid module produced for $out"
  mv -f "$tmp" "$out"
  report "$out"
}

build_c() {
  local src="$1" out="$2"
  "$CC" "${CFLAGS[@]}" "${LDFLAGS[@]}" -o "$out.tmp" "$src" || die "compiling $src failed"
  install_output "$out.tmp" "$out"
}

# WAGI services and fixtures are WASI commands: they export _start and run main once.
build_command() {
  local src="$1" out="$2"
  "$CC" --target=wasm32-wasi -O2 -std=c11 -Wall -Wextra -Wpedantic -Wl,--strip-all \
    -o "$out.tmp" "$src" || die "compiling $src failed"
  install_output "$out.tmp" "$out"
}

# npm ci only when node_modules does not hold exactly the pinned versions.
ensure_as_dependencies() {
  local installed_as installed_rt
  installed_as=$(node -p "require('$AS_EXAMPLE/node_modules/assemblyscript/package.json').version" 2>/dev/null || true)
  installed_rt=$(node -p "require('$AS_EXAMPLE/node_modules/@solo-io/proxy-runtime/package.json').version" 2>/dev/null || true)
  if [[ "$installed_as" != "$AS_VERSION" || "$installed_rt" != "$PROXY_RUNTIME_VERSION" ]]; then
    echo "  npm ci in ${AS_EXAMPLE#"$ROOT"/}"
    (cd "$AS_EXAMPLE" && npm ci --no-audit --no-fund --loglevel=error) >&2 ||
      die "npm ci failed in $AS_EXAMPLE"
  fi
}

build_assemblyscript() {
  ensure_as_dependencies
  local out="$AS_EXAMPLE/add_header.wasm" log
  log=$(mktemp)
  # asc prints a known harmless AS201 warning from its own stdlib; only show
  # its output when the build fails.
  if ! (cd "$AS_EXAMPLE" && node node_modules/assemblyscript/bin/asc assembly/index.ts \
    -b add_header.wasm.tmp --use abort=abort_proc_exit --optimize) >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    die "asc failed"
  fi
  rm -f "$log"
  install_output "$out.tmp" "$out"
}

# AssemblyScript services reuse the filter example's pinned toolchain (its node_modules).
build_assemblyscript_service() {
  ensure_as_dependencies
  local dir="$ROOT/services/greeter-as" log
  log=$(mktemp)
  if ! (cd "$dir" && node "$AS_EXAMPLE/node_modules/assemblyscript/bin/asc" assembly/index.ts \
    -b greeter.wasm.tmp --use abort=abort_proc_exit --optimize --path "$AS_EXAMPLE/node_modules") >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    die "asc failed for $dir"
  fi
  rm -f "$log"
  install_output "$dir/greeter.wasm.tmp" "$dir/greeter.wasm"
}

main() {
  require_tools
  local src name

  echo "C examples ($("$CC" --version | head -n1)):"
  for src in "$C_EXAMPLES"/*.c; do
    name=$(basename "$src" .c)
    build_c "$src" "$C_EXAMPLES/$name.wasm"
  done

  echo "AssemblyScript example (assemblyscript $AS_VERSION, @solo-io/proxy-runtime $PROXY_RUNTIME_VERSION):"
  build_assemblyscript

  echo "Test fixtures:"
  mkdir -p "$FIXTURE_OUT"
  for src in "$FIXTURE_SRC"/*.c; do
    name=$(basename "$src" .c)
    build_c "$src" "$FIXTURE_OUT/$name.wasm"
  done
  for src in "$FIXTURE_SRC"/commands/*.c; do
    name=$(basename "$src" .c)
    build_command "$src" "$FIXTURE_OUT/$name.wasm"
  done

  echo "Services:"
  build_assemblyscript_service
  for src in "$ROOT"/services/*/*.c; do
    name=$(basename "$src" .c)
    if grep -q '#include "proxy_wasm.h"' "$src"; then
      build_c "$src" "$(dirname "$src")/$name.wasm"
    else
      build_command "$src" "$(dirname "$src")/$name.wasm"
    fi
  done
}

main "$@"
