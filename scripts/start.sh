#!/usr/bin/env bash
# The cockpit from a fresh clone in one command: installs what is missing, fills the sample
# city 新河市 on the first run (no sources file yet), then serves the cockpit.
#   scripts/start.sh                         http://127.0.0.1:8501/
#   scripts/start.sh --address 0.0.0.0       reachable from the other machines of the intranet
#   (any option of `cockpit serve`: --port, --address, --no-open)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --install-only

home="${COCKPIT_HOME:-.cockpit}"
if [ ! -f "${COCKPIT_SOURCES:-$home/sources.yaml}" ]; then
  .venv/bin/cockpit sample
  # Exit 1 means some source failed to load: the sample plants one broken file on purpose.
  status=0
  .venv/bin/cockpit refresh || status=$?
  if [ "$status" -gt 1 ]; then exit "$status"; fi
fi
# Signing in is on by default (COCKPIT_AUTH=local): offer to create the first administrator.
if [ "${COCKPIT_AUTH:-local}" = local ] && [ -z "$(.venv/bin/cockpit user list --names)" ]; then
  if [ -t 0 ]; then
    echo "尚无用户：创建第一个管理员账号 admin（密码至少 10 位）"
    .venv/bin/cockpit user add admin --name 管理员 --role admin
  else
    echo "No user yet: run .venv/bin/cockpit user add admin --name 管理员 --role admin" >&2
  fi
fi
exec .venv/bin/cockpit serve "$@"
