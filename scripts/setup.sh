#!/usr/bin/env bash
# Install everything the cockpit needs on a fresh Debian/Ubuntu machine, then run it on the
# embedded store. Safe to re-run: each step is skipped when already done.
#   scripts/setup.sh                 install, then `cockpit validate`
#   scripts/setup.sh --install-only  install only (used by scripts/test.sh and CI)
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: CJK fonts (briefings, charts), Pango (WeasyPrint), poppler (PDF checks),
# Chromium (the real-browser tests drive /usr/bin/chromium; Playwright never downloads one).
APT_PACKAGES=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils chromium)
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
apt_install() {
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing system packages: ${missing[*]}"
  apt_install "${missing[@]}"
fi

# Python 3.11+ in a project virtualenv.
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "error: $PYTHON is $("$PYTHON" --version 2>&1); the cockpit needs Python 3.11 or newer" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv 2>/dev/null || { apt_install python3-venv && "$PYTHON" -m venv .venv; }
fi

# The project and its test tools; skipped while pyproject.toml is unchanged.
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi

if [ "${1:-}" != "--install-only" ]; then
  .venv/bin/cockpit validate
fi
