#!/usr/bin/env bash
# Installs what the report's browser test drives, on demand and idempotently: Playwright
# (PyPI, no browser download) into its own small venv .deps/browser, and, when run as root
# and chromium is missing, Debian's `chromium` and `fonts-noto-color-emoji` (so emoji render).
# Concurrent callers wait for each other (flock).
#   bash scripts/browser.sh install   install (or check) and print the venv's path
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.deps/browser"
playwright=1.65.2
. "$root/scripts/venv.sh"

case "${1:-install}" in
  install)
    venv_install browser "$playwright" "playwright==$playwright"
    if ! command -v chromium > /dev/null && [ "$(id -u)" = 0 ]; then
      echo "browser.sh: installing Debian's chromium and fonts-noto-color-emoji" >&2
      apt-get update -qq > /dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji > /dev/null
    fi
    echo "$venv"
    ;;
  *)
    echo "usage: $0 install" >&2
    exit 2
    ;;
esac
