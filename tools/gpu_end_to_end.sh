#!/usr/bin/env bash
# GPU end to end (issue 21): the precision track's headline rows, float32 and --amp, trained and
# scored on a GPU in one device call (configs/studies/amp_on_device.py).
#
#   bash tools/gpu_end_to_end.sh fetch                 # here, once: the stack for the GPU
#       machine's Python 3.12 into .whl/ (pure-Python wheels, pycocotools' and shapely's
#       manylinux wheels, mmcv's sdist); about 10 MB
#   bash tools/gpu_end_to_end.sh run                   # on the GPU (the device tool, carry .whl):
#       install .whl/ beside its torch, build mmcv's CUDA ops for this GPU's architecture only
#       (MAX_JOBS = its cores), generate the precision data, run the study, tables in $OUT
#   bash tools/gpu_end_to_end.sh run --device cpu [ablation.py options]   # the dry run here
#
# `run` passes further options to tools/ablation.py (e.g. --max-iters 2 --data-root DIR).
# Untried on a GPU so far: the CPU dry run is tested (tests/test_gpu_end_to_end.py).
set -euo pipefail
cd "$(dirname "$0")/.."
MMCV_SDIST=mmcv-2.1.0.tar.gz
WHEELS="mmengine==0.10.7 mmdet==3.3.0 pycocotools==2.0.11 addict yapf platformdirs termcolor
  terminaltables shapely"

fetch() {
  local platforms=()
  for n in 2_28 2_27 2_17 2014 1; do
    case $n in 2014) platforms+=(--platform manylinux2014_x86_64);;
      1) platforms+=(--platform manylinux1_x86_64);;
      *) platforms+=(--platform "manylinux_${n}_x86_64");; esac
  done
  # shellcheck disable=SC2086
  python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 \
    --implementation cp "${platforms[@]}" -d .whl $WHEELS
  python3 -m pip download --no-deps --no-binary=:all: -d .whl mmcv==2.1.0
  ls -la .whl
}

run_on_gpu() {
  export PYTHONPATH="/tmp/site:$PWD"
  python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl
  local arch
  arch="$(python3 -c 'import torch; print("%d.%d" % torch.cuda.get_device_capability())')"
  echo "[gpu] building mmcv's CUDA ops for sm $arch with $(nproc) jobs"
  # --no-build-isolation: the build must see torch, else mmcv silently skips its ops
  TORCH_CUDA_ARCH_LIST="$arch" MMCV_WITH_OPS=1 FORCE_CUDA=1 MAX_JOBS="$(nproc)" \
    python3 -m pip wheel -q --no-build-isolation --no-deps -w /tmp/mmcv ".whl/$MMCV_SDIST" \
    > "${OUT:-/tmp}/mmcv_build.log" 2>&1 || { tail -40 "${OUT:-/tmp}/mmcv_build.log"; exit 1; }
  python3 -m pip install -q --no-index --no-deps --target /tmp/site /tmp/mmcv/*.whl
  python3 -c 'import mmcv.ops, mmdet, torch; print("[gpu]", torch.__version__, mmcv.__version__,
      mmdet.__version__, torch.cuda.get_device_name())'
}

case "${1:-}" in
  fetch) fetch;;
  run)
    shift
    DEVICE=cuda
    if [ "${1:-}" = --device ]; then DEVICE="$2"; shift 2; fi
    if [ "$DEVICE" = cuda ]; then run_on_gpu; PY=python3; else PY=.venv/bin/python; fi
    OUT="${OUT:-work_dirs/gpu_end_to_end}"
    if [ ! -f data/precision/test.json ] && [[ " $* " != *" --data-root "* ]]; then
      $PY tools/make_synthetic_data.py --out data/precision --style precision --seed 0 \
        --num-train 1000 --num-val 300 --num-test 1000
    fi
    $PY tools/ablation.py --study configs/studies/amp_on_device.py \
      --work-dir "${WORK_DIR:-/tmp/gpu_end_to_end}" --out "$OUT" "$@";;
  *) sed -n '2,15p' "$0"; exit 2;;
esac
