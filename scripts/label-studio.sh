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
    if ! command -v chromium > /dev/null && [ "$(id -u)" = 0 ]; then
      echo "label-studio.sh: installing Debian's chromium and fonts-noto-color-emoji" >&2
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
