#!/bin/bash
# Every output a behaviour-preserving change must leave byte-identical, written by one binary:
#   scripts/outputs.sh BIN OUTDIR      (BIN: a claimex binary, e.g. a copy of the build before)
#   scripts/outputs.sh --compare A B   (two OUTDIRs; exit 1 when a file differs)
# Extracts the fixtures (models and --no-models), the hand-annotated gold texts and PolNeAR dev
# (both ways), and writes the attribution and entity evaluations, the schema, a summary and
# the --help texts. Needs ../shared/data (PolNeAR, GUM) and `make setup`; about 35 s on 2 cores.
set -u
if [ "${1:-}" = "--compare" ]; then
    ok=0
    for f in "$2"/*; do
        n=$(basename "$f")
        cmp -s "$f" "$3/$n" || { echo "differs: $n"; ok=1; }
    done
    [ $ok = 0 ] && echo "all $(ls "$2" | wc -l) files identical"
    exit $ok
fi
B=$(realpath "$1"); O=$(realpath -m "$2")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
D=$(realpath -m "${CLAIMEX_DATA:-$ROOT/../shared/data}")
[ -d "$D/polnear/dev" ] || { echo "outputs.sh: no PolNeAR at $D (set CLAIMEX_DATA)"; exit 2; }
mkdir -p "$O"; cd "$ROOT"
"$B" extract fixtures/articles -q -o "$O/articles.jsonl"
"$B" extract fixtures/articles --no-models -q -o "$O/articles-rules.jsonl"
"$B" extract fixtures/gold/text -q -o "$O/gold.jsonl"
"$B" extract "$D/polnear/dev/text" -q -o "$O/dev.jsonl"
"$B" extract "$D/polnear/dev/text" --no-models -q -o "$O/dev-rules.jsonl"
"$B" eval attribution --gold "$D/polnear/dev" --pred "$O/dev.jsonl" > "$O/eval-attr.txt"
"$B" eval attribution --gold "$D/polnear/dev" --pred "$O/dev-rules.jsonl" > "$O/eval-attr-rules.txt"
"$B" eval entities --gold "$D/gum/dev" --errors > "$O/eval-ent.txt"
"$B" schema > "$O/schema.json"
(cd "$O" && "$B" summary articles.jsonl > summary.txt 2>&1)
# help texts name the program as invoked: run them as `claimex`
for cmd in "" train eval extract; do
    (exec -a claimex "$B" $cmd --help) > "$O/help${cmd:+-$cmd}.txt"
done
