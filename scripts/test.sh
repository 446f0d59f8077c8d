#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, checks style, then runs
# pytest against the embedded SQLite store and the PostgreSQL server at 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --install-only

# PostgreSQL runs before the session on our machines; start it if it is installed but down.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
fi
export COCKPIT_REQUIRE_POSTGRES="${COCKPIT_REQUIRE_POSTGRES:-1}"
export COCKPIT_REQUIRE_BROWSER="${COCKPIT_REQUIRE_BROWSER:-1}"  # /usr/bin/chromium, from setup.sh

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/pytest "$@"
