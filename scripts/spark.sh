#!/usr/bin/env bash
# Installs what the Spark test drives, on demand and idempotently: PySpark (PyPI; it carries
# Spark's jars, ~320 MB) with pandas below 3 and NumPy into its own venv .deps/spark.
# Concurrent callers wait for each other (flock). Java 17 must be on PATH (Spark 3.5 runs on
# Java 8, 11 and 17); this script does not install it.
#   bash scripts/spark.sh install   install (or check) and print the venv's path
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.deps/spark"
pyspark=3.5.8
py=${PYTHON:-python3}

case "${1:-install}" in
  install)
    mkdir -p "$root/.deps"
    exec 9> "$root/.deps/.spark.lock"
    flock 9
    if [ ! -f "$venv/.ok-$pyspark" ]; then
      echo "spark.sh: installing pyspark==$pyspark into $venv (~320 MB)" >&2
      rm -rf "$venv"
      "$py" -m venv "$venv"
      "$venv/bin/pip" install --quiet --disable-pip-version-check \
        "pyspark==$pyspark" "pandas>=2.2,<3" "numpy>=1.26,<3"
      touch "$venv/.ok-$pyspark"
    fi
    echo "$venv"
    ;;
  *)
    echo "usage: $0 install" >&2
    exit 2
    ;;
esac
