#!/usr/bin/env bash
# Set up (or refresh) the project environment in .venv/ at the repository root.
#
#   bash tools/setup_env.sh
#
# Idempotent: a second run only checks the stamp and returns; runs started together take turns
# (a lock in the cache, below). Pins live in requirements/stack.txt alone. mmcv has no CPU wheel
# on PyPI, so it is built from source with its C++ ops (RoIAlign, NMS) once and the wheel is
# kept in $MMDET_EIOU_CACHE (outside git).
#
# Environment knobs:
#   PYTHON=python3.11          interpreter for the venv
#   MMDET_EIOU_CACHE=DIR       wheel cache (default ~/.cache/mmdet-eiou)
#   MMDET_EIOU_TORCH=keep      keep the torch already in .venv (GPU users install their CUDA
#                              build first, see README "GPU install"); default installs the pin
#   MAX_JOBS=N                 parallel compile jobs for mmcv (default: number of cores)
#   MMDET_EIOU_STACK=onedl     the maintained OneDL fork of the stack instead (onedl-mmengine,
#                              onedl-mmcv, onedl-mmdetection; same module names) into .venv-onedl,
#                              pinned in requirements/stack-onedl.txt (README "The OneDL stack")
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STACK="$ROOT/requirements/stack.txt"
case "${MMDET_EIOU_STACK:-openmmlab}" in
  openmmlab) PINS="$STACK"; VENV="$ROOT/.venv"; PREFIX="";;
  onedl) PINS="$ROOT/requirements/stack-onedl.txt"; VENV="$ROOT/.venv-onedl"; PREFIX="onedl-";;
  *) echo "[setup] MMDET_EIOU_STACK must be openmmlab or onedl" >&2; exit 2;;
esac
# the distribution names and mmcv's pinned version, from the pins
MMCV="${PREFIX}mmcv"
MMCV_VERSION="$(sed -n "s/^${MMCV}==\([^ ]*\).*/\1/p" "$PINS")"
MMCV_WHEEL="${MMCV//-/_}-${MMCV_VERSION}"
MMDET="mmdet"; [ -n "$PREFIX" ] && MMDET="onedl-mmdetection"
PY="$VENV/bin/python"
CACHE="${MMDET_EIOU_CACHE:-$HOME/.cache/mmdet-eiou}"
STAMP="$VENV/.mmdet_eiou_stack"
export PIP_DISABLE_PIP_VERSION_CHECK=1

# One setup at a time: README's two commands may be started together, and two pip runs into one
# venv, or two mmcv builds into one cache folder, break each other. The lock lives in the cache,
# which checkouts may share; the kernel drops it when this script ends, however it ends.
mkdir -p "$CACHE"
if command -v flock >/dev/null; then
  exec 9>"$CACHE/setup.lock"
  flock -n 9 || { echo "[setup] another setup holds $CACHE/setup.lock; waiting for it"; flock 9; }
fi

step_name=""
step() { step_name="$1"; printf '\n[setup] %s\n' "$1"; }
trap 'rc=$?; if [ $rc -ne 0 ]; then printf "\n[setup] FAILED at step: %s (exit %s)\n[setup] hint: %s\n" "$step_name" "$rc" "$(hint)" >&2; fi' EXIT
hint() {
  case "$step_name" in
    *venv*)  echo "needs Python >= 3.9 with venv; set PYTHON=/path/to/python3.11";;
    *torch*) echo "pip could not get torch==2.13.0; GPU users: install torch into .venv first and rerun with MMDET_EIOU_TORCH=keep";;
    *mmcv*)  echo "see the build log above; needs gcc/g++ and Python headers. Log kept in $CACHE/mmcv-build.log. Retry with MAX_JOBS=1 if memory ran out";;
    *verify*) echo "mmcv was installed without its ops: delete $CACHE/wheels/mmcv-* and rerun";;
    *)       echo "rerun the command; it is safe to run again";;
  esac
}
pip_c() { "$PY" -m pip install --quiet --constraint "$STACK" --constraint "$PINS" "$@"; }

# The stamp records what the last successful run installed: the pins, this script and setup.py.
fingerprint() {
  { cat "$STACK" "$ROOT/tools/setup_env.sh" "$ROOT/setup.py" "$ROOT/lab/setup.py"
    [ "$PINS" = "$STACK" ] || cat "$PINS"; } \
    | sha256sum | cut -d' ' -f1
}

if [ -x "$PY" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(fingerprint)" ]; then
  step "environment is up to date ($VENV); checking it imports"
  "$PY" -c "import mmdet_eiou, eiou_lab, mmdet, mmcv.ops" && { trap - EXIT; echo "[setup] ok"; exit 0; }
  echo "[setup] import check failed; reinstalling"
fi

step "create virtual environment $VENV"
if [ ! -x "$PY" ]; then
  PYTHON_BIN="${PYTHON:-$(command -v python3.11 || command -v python3)}"
  "$PYTHON_BIN" -m venv "$VENV"
fi
"$PY" -m pip install --quiet "pip>=24,<26"

step "install build tools (setuptools<81 keeps pkg_resources for mmcv and mim, ninja)"
pip_c setuptools ninja wheel

step "install torch"
if [ "${MMDET_EIOU_TORCH:-pin}" = keep ] && "$PY" -c "import torch" 2>/dev/null; then
  echo "[setup] keeping torch $("$PY" -c 'import torch; print(torch.__version__)')"
else
  pip_c torch
fi
TORCH_TAG="$("$PY" -c 'import sys, torch; print(f"torch{torch.__version__}-cp{sys.version_info[0]}{sys.version_info[1]}")')"

step "install $MMCV $MMCV_VERSION with ops (cached wheel, or a source build of 9-27 min on 2 cores)"
MMCV_DIR="$CACHE/wheels/$MMCV-$MMCV_VERSION-$TORCH_TAG"
mkdir -p "$MMCV_DIR"
if ! ls "$MMCV_DIR"/"$MMCV_WHEEL"-*.whl >/dev/null 2>&1; then
  echo "[setup] no cached wheel in $MMCV_DIR: building (log: $CACHE/mmcv-build.log)"
  start=$(date +%s)
  # --no-build-isolation: the build must see torch, else mmcv silently skips its ops.
  # -g0: no debug information (Python's own CFLAGS carry -g): the wheel is 2 MB instead of
  # 32 MB (the ops' library 6.7 MB instead of 83 MB); no compile time saved (594 s alone).
  CFLAGS="-g0 ${CFLAGS:-}" CXXFLAGS="-g0 ${CXXFLAGS:-}" MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
    "$PY" -m pip wheel --no-build-isolation --no-deps --constraint "$STACK" --constraint "$PINS" \
    --wheel-dir "$MMCV_DIR.tmp" "$MMCV" >"$CACHE/mmcv-build.log" 2>&1 \
    || { tail -30 "$CACHE/mmcv-build.log"; exit 1; }
  mv "$MMCV_DIR.tmp"/"$MMCV_WHEEL"-*.whl "$MMCV_DIR"/ && rmdir "$MMCV_DIR.tmp"
  echo "[setup] built $MMCV in $(( $(date +%s) - start )) s"
else
  echo "[setup] using cached $(ls "$MMCV_DIR"/"$MMCV_WHEEL"-*.whl)"
fi
pip_c --no-deps "$MMCV_DIR"/"$MMCV_WHEEL"-*.whl
pip_c addict packaging pyyaml yapf  # mmcv's own runtime requirements

step "install mmengine, mmdet, pycocotools, numpy and the test tools"
pip_c "${PREFIX}mmengine" "$MMDET" pycocotools numpy pytest pytest-xdist hypothesis matplotlib

if [ -n "$PREFIX" ]; then
  step "install onedl-mim, the maintained mim, without its opendatalab dependency (as openmim)"
  pip_c --no-deps onedl-mim
else
  step "install openmim without opendatalab/openxlab (they downgrade setuptools and requests)"
  pip_c --no-deps openmim
fi
pip_c click colorama model-index pandas requests rich tabulate

step "install mmdet_eiou (editable) and the lab beside it (eiou_lab, editable)"
pip_c --no-deps --no-build-isolation -e "$ROOT"
pip_c --no-deps --no-build-isolation -e "$ROOT/lab"
# openmim 0.3.9's `mim train mmdet_eiou` looks for <install location>/mmdet_eiou/.mim/tools/
# train.py; a PEP 660 editable install has no such folder (its location is site-packages), so
# link the source there, which is what `setup.py develop` used to give mim. onedl-mim reads
# the editable install's source folder from its direct_url.json and needs no link.
if [ -z "$PREFIX" ]; then
  SITE="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  ln -sfn "$ROOT/mmdet_eiou" "$SITE/mmdet_eiou"
fi

step "verify: mmcv ops, nms, our registry scope"
"$PY" - <<'PY'
import os
import torch
from mmcv.ops import RoIAlign, batched_nms  # noqa: F401  (fails when mmcv was built without ops)
import mmdet, mmcv, mmengine, mmdet_eiou
from mim.utils import get_installed_path
root = get_installed_path('mmdet_eiou')  # openmim: the package (linked); onedl-mim: the checkout
assert any(os.path.isfile(os.path.join(root, tools, 'train.py'))
           for tools in (os.path.join('.mim', 'tools'), 'tools')), root
boxes = torch.tensor([[0., 0., 10., 10.], [1., 1., 10., 10.], [20., 20., 30., 30.]])
dets, keep = batched_nms(boxes, torch.tensor([.9, .8, .7]), torch.zeros(3, dtype=torch.long),
                         dict(type='nms', iou_threshold=0.5))
assert keep.tolist() == [0, 2], keep
print(f'[setup] torch {torch.__version__}, mmcv {mmcv.__version__} (ops ok), '
      f'mmengine {mmengine.__version__}, mmdet {mmdet.__version__}, '
      f'mmdet_eiou {mmdet_eiou.__version__}')
PY
fingerprint >"$STAMP"
trap - EXIT
echo "[setup] done: activate with 'source $VENV/bin/activate' or call $PY"
