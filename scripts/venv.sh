# Sourced by the install scripts of the tools the tests drive (browser.sh, spark.sh): one
# venv per tool under .deps, installed on demand and idempotently, concurrent callers waiting
# for each other.
#   venv_install NAME STAMP PACKAGE...   makes .deps/NAME with PACKAGE... unless the file
#                                        .deps/NAME/.ok-STAMP says it is there; holds the lock
#                                        .deps/.NAME.lock (fd 9) until the caller exits
venv_install() {
  local name=$1 stamp=$2
  shift 2
  local venv="$root/.deps/$name"
  mkdir -p "$root/.deps"
  exec 9> "$root/.deps/.$name.lock"
  flock 9
  if [ ! -f "$venv/.ok-$stamp" ]; then
    echo "$name: installing $* into $venv" >&2
    rm -rf "$venv"
    "${PYTHON:-python3}" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$@"
    touch "$venv/.ok-$stamp"
  fi
}
