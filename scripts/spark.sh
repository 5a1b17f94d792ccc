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
. "$root/scripts/venv.sh"

case "${1:-install}" in
  install)
    venv_install spark "$pyspark" "pyspark==$pyspark" "pandas>=2.2,<3" "numpy>=1.26,<3"
    echo "$venv"
    ;;
  *)
    echo "usage: $0 install" >&2
    exit 2
    ;;
esac
