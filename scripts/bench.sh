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
# every figure names its machine: the CPU, the vector features that decide the kernels, and
# the precision inference uses (what `claimex doctor` reports)
cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
features=$(grep -o -w -E 'avx2|avx512f|avx512_bf16|amx_bf16' /proc/cpuinfo | sort -u | tr '\n' ' ')
precision=$("$bin" doctor 2>/dev/null | sed -n 's/^inference precision: \([a-z0-9]*\).*/\1/p')
echo "cpu: ${cpu:-unknown}; features: ${features:-none of avx2/avx512f/avx512_bf16/amx_bf16}; precision: ${precision:-unknown}"
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

# Scaling of the rule stages with article size (rules only, one article each): realistic news
# text assembled from the fixtures' paragraphs, and two pathological shapes that were
# quadratic (one sentence of quoted words; `He said: "x"` repeated). Each doubling should
# cost about 2x; the line says the ratio of the largest to the one before.
python3 - "$root/fixtures/articles" "$work/scale" <<'PY'
import sys, os, glob
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
paras = []
for f in sorted(glob.glob(os.path.join(src, "*.txt"))):
    paras += [p.strip() for p in open(f, encoding="utf-8").read().replace("\r\n", "\n").split("\n\n") if len(p.split()) > 12]
for kb in (200, 400, 800, 1600, 3200):
    body, n, k = [], 0, 0
    while n < kb * 1000:
        p = paras[k % len(paras)]; body.append(p); n += len(p) + 2; k += 7
    open(os.path.join(out, f"news-{kb}.txt"), "w", encoding="utf-8").write("\n\n".join(body))
for kb in (100, 200, 400, 800):
    open(os.path.join(out, f"words-{kb}.txt"), "w").write('"' + " ".join(["word"] * (kb * 1000 // 5)) + '"')
    open(os.path.join(out, f"said-{kb}.txt"), "w").write(" ".join(['He said: "x"'] * (kb * 1000 // 13)))
PY
echo "scaling (rules only, one article):"
for shape in news words said; do
  prev=""
  line="  $(printf '%-6s' "$shape")"
  if [ "$shape" = news ]; then sizes="200 400 800 1600 3200"; else sizes="100 200 400 800"; fi
  for kb in $sizes; do
    f="$work/scale/$shape-$kb.txt"
    t0=$(date +%s.%N)
    "$bin" extract -q --no-models "$f" -o "$work/scale.jsonl"
    t1=$(date +%s.%N)
    s=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
    line="$line  ${kb}KB ${s}s"
    [ -n "$prev" ] && ratio=$(python3 -c "print(f'{$s / max($prev, 1e-3):.2f}')")
    prev=$s
  done
  echo "$line   (last doubling: ${ratio}x)"
done

# Peak memory against batch size (rules only, small JSONL articles): inputs are read a chunk
# at a time, so it stays near flat; what grows is 16 bytes an article for the duplicate-id
# check.
python3 - "$work" <<'PY'
import json, sys
for n in (1000, 100000, 1000000):
    with open(f"{sys.argv[1]}/small-{n}.jsonl", "w") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"a{i}", "text": f'"Prices rose {i} percent," said Mayor Ana Ruiz on Monday.'}) + "\n")
PY
echo "memory (rules only, small articles):"
for n in 1000 100000 1000000; do
  /usr/bin/time -f "  %e s  peak RSS %M KB" -o "$work/mem" "$bin" extract -q --no-models "$work/small-$n.jsonl" -o "$work/small.jsonl"
  printf '  %8d articles (%4d MB of JSONL): %s\n' "$n" $(( $(stat -c %s "$work/small-$n.jsonl") / 1000000 )) "$(cat "$work/mem" | sed 's/^ *//')"
done

# The fact-checkers' desk on 2,000 records: the 200 bench articles' records with models (from
# the run above), each 10 times under new ids (so every claim is in a group of 10). Time and
# peak memory of `claimex claims` and `claimex report`, the report's size, and the time
# headless Chromium takes to open it (when Playwright and chromium are installed).
cp "$work/out.jsonl" "$work/bench-200.jsonl"
python3 - "$work/bench-200.jsonl" "$work/desk-2000.jsonl" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for k in range(10):
        for r in recs:
            r = dict(r, id=f"{r['id']}-{k}")
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
PY
echo "desk, 2,000 records ($(( $(stat -c %s "$work/desk-2000.jsonl") / 1000000 )) MB):"
/usr/bin/time -f "%e %M" -o "$work/mem" "$bin" claims -q "$work/desk-2000.jsonl" -o "$work/claims.csv"
read -r s kb < "$work/mem"
echo "  claimex claims   ${s} s  peak RSS $(( kb / 1024 )) MiB  $(( $(wc -l < "$work/claims.csv") - 1 )) claims"
/usr/bin/time -f "%e %M" -o "$work/mem" "$bin" report -q "$work/desk-2000.jsonl" -o "$work/report.html"
read -r s kb < "$work/mem"
size=$(stat -c %s "$work/report.html")
echo "  claimex report   ${s} s  peak RSS $(( kb / 1024 )) MiB  $(( size / 1000000 )) MB ($(( size / 2000 / 1000 )) KB per article)"
if [ -x "$root/.deps/browser/bin/python" ] && [ -x /usr/bin/chromium ]; then
  open=$("$root/.deps/browser/bin/python" "$root/scripts/report_check.py" --report "$work/report.html" --time-only)
  echo "  open in headless Chromium: $open"
else
  echo "  open in headless Chromium: SKIPPED (run scripts/browser.sh install)"
fi
echo "grouping cost (claims made from the bench records' own, see claimex eval grouping-cost):"
"$bin" eval grouping-cost --records "$work/bench-200.jsonl" --claims 1000,10000,100000
