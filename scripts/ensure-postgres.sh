#!/usr/bin/env bash
# Makes a PostgreSQL server available to the control plane's tests (they start their own private
# cluster with initdb/pg_ctl and skip when there is none). Installs Debian's `postgresql` package
# when no initdb is found and we are root with apt-get; otherwise says why it did nothing.
# Never fails its caller: without PostgreSQL the tests are skipped, not broken.
set -u

found_initdb() {
  command -v initdb 2>/dev/null && return 0
  # Debian keeps the server programs out of PATH.
  local f
  for f in /usr/lib/postgresql/*/bin/initdb; do
    [[ -x "$f" ]] && { echo "$f"; return 0; }
  done
  return 1
}

if where=$(found_initdb); then
  echo "ensure-postgres: initdb found at $where; nothing to install"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "ensure-postgres: no initdb, and not root: not installing (run: sudo apt-get install postgresql);" \
    "the PostgreSQL tests will be skipped"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-postgres: no initdb and no apt-get: install a PostgreSQL server by hand;" \
    "the PostgreSQL tests will be skipped"
  exit 0
fi

echo "ensure-postgres: installing Debian's postgresql package"
log=$(mktemp)
export DEBIAN_FRONTEND=noninteractive
if apt-get -qq update >"$log" 2>&1 &&
  apt-get -qq install -y --no-install-recommends postgresql >>"$log" 2>&1; then
  echo "ensure-postgres: installed; initdb at $(found_initdb || echo '(still not found)')"
else
  echo "ensure-postgres: apt-get failed; the PostgreSQL tests will be skipped. Its last lines:"
  tail -n 20 "$log"
fi
rm -f "$log"
exit 0
