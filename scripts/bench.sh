#!/usr/bin/env bash
# `make bench`: throughput and peak memory of `claimex extract` on a bundled set of
# news-length articles (~750 words each, assembled from fixtures/articles), rules only and
# with the models. Prints a table; numbers go into the README by hand.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/release/claimex"
work="$root/bench-out"
rm -rf "$work" && mkdir -p "$work/articles"
# 200 articles of ~750 words: fixture paragraphs in a rotating order (deterministic)
python3 - "$root/fixtures/articles" "$work/articles" <<'PY'
import sys, os, glob
src, out = sys.argv[1], sys.argv[2]
paras = []
for f in sorted(glob.glob(os.path.join(src, "*.txt"))):
    paras += [p.strip() for p in open(f, encoding="utf-8").read().replace("\r\n", "\n").split("\n\n") if len(p.split()) > 12]
for i in range(200):
    words, body, k = 0, [], i
    while words < 750:
        p = paras[k % len(paras)]
        body.append(p); words += len(p.split()); k += 7
    open(os.path.join(out, f"a{i:03}.txt"), "w", encoding="utf-8").write("\n\n".join(body) + "\n")
PY
words=$(cat "$work"/articles/*.txt | wc -w)
echo "bench set: 200 articles, $words words ($(( words / 200 )) per article), $(nproc) cores"
run() {
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  CLAIMEX_TIMINGS=1 /usr/bin/time -f "%M" -o "$work/mem" "$bin" extract -q "$@" "$work/articles" -o "$work/out.jsonl" 2> "$work/timings"
  t1=$(date +%s.%N)
  python3 - "$label" "$t0" "$t1" "$(cat "$work/mem")" <<'PY'
import sys
label, t0, t1, kb = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
s = t1 - t0
print(f"{label:<22} {s:6.2f} s  {200 / s:7.1f} articles/s  peak RSS {kb / 1024:6.0f} MiB")
PY
}
run "rules only" --no-models
run "rules + models"
# seconds per batch (model) stage in the last run; the rest is the pipeline around them
awk '/^timing:/ {t[$2] += $3} /^wordpieces:/ {w[$2] += $3}
  END {for (k in t) { if (w[k] > 0) printf "  %-22s %6.2f s  %8d wordpieces  %6.0f wordpieces/s\n", k, t[k], w[k], w[k] / t[k];
                      else printf "  %-22s %6.2f s\n", k, t[k] } }' "$work/timings" | sort
