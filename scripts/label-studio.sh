#!/usr/bin/env bash
# Installs Label Studio, on demand and idempotently, into its own venv .deps/label-studio
# (PyPI `label-studio`, about 1 GB and 2 minutes the first time; a second run does nothing),
# with Playwright (PyPI, no browser download: it drives Debian's chromium), and, when run as
# root and chromium is missing, Debian's `chromium` and `fonts-noto-color-emoji` for the UI
# check. Used by the live round-trip test (tests/review.rs) and by annotators who want it.
#   bash scripts/label-studio.sh install   install (or check) and print the venv's path
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.deps/label-studio"
version=1.23.2
playwright=1.65.2
py=${PYTHON:-python3}

case "${1:-install}" in
  install)
    if [ ! -f "$venv/.ok-$version-$playwright" ]; then
      echo "label-studio.sh: installing label-studio==$version into $venv (~1 GB, a few minutes)" >&2
      if [ ! -f "$venv/.ok-$version" ]; then
        rm -rf "$venv"
        "$py" -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check "label-studio==$version"
        touch "$venv/.ok-$version"
      fi
      "$venv/bin/pip" install --quiet --disable-pip-version-check "playwright==$playwright"
      touch "$venv/.ok-$version-$playwright"
    fi
    # Debian's chromium and emoji fonts (as root, when missing): browser.sh installs them
    # under its lock, so this and the report's browser test never run apt-get at once
    bash "$root/scripts/browser.sh" install > /dev/null
    echo "$venv"
    ;;
  *)
    echo "usage: $0 install" >&2
    exit 2
    ;;
esac
