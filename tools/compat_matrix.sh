#!/usr/bin/env bash
# One row of README's compatibility table: set up a named stack in its own environment and run
# the add-on's tests against it; the last line printed is the row's result.
#
#   bash tools/compat_matrix.sh pinned        # .venv: requirements/stack.txt (the full suite)
#   bash tools/compat_matrix.sh onedl         # .venv-onedl: the OneDL fork (the full suite)
#   bash tools/compat_matrix.sh ops-py39      # .venv-ops-py39: Python 3.9 + torch 2.1.2, the
#                                             # pure-torch ops alone (no mmcv/mmdet)
#
# Extra arguments go to pytest. The ops row needs pyenv's Python 3.9 (PYTHON39=... otherwise)
# and downloads torch 2.1.2 (a CUDA build, about 2.5 GB, which runs on the CPU).
set -euo pipefail
cd "$(dirname "$0")/.."
ROW="${1:?name a row: pinned, onedl or ops-py39}"
shift
# the tests of the pure-torch ops: they run without mmcv and mmdet
OPS_TESTS=(tests/test_eiou_math.py tests/test_numerics_fuzz.py tests/test_compile_variants.py
           tests/test_device.py)
case "$ROW" in
  pinned) bash tools/setup_env.sh; PY=.venv/bin/python; TESTS=(tests);;
  onedl) MMDET_EIOU_STACK=onedl bash tools/setup_env.sh; PY=.venv-onedl/bin/python; TESTS=(tests);;
  ops-py39)
    VENV=.venv-ops-py39
    if [ ! -x "$VENV/bin/python" ]; then
      "${PYTHON39:-$HOME/.pyenv/versions/3.9.18/bin/python}" -m venv "$VENV"
      "$VENV/bin/pip" install -q 'torch==2.1.2' 'numpy<2' pytest hypothesis
    fi
    PY="$VENV/bin/python"; TESTS=("${OPS_TESTS[@]}")
    # no install: the ops and the lab's box sampler are pure torch, read from the checkout
    export PYTHONPATH="$PWD:$PWD/lab${PYTHONPATH:+:$PYTHONPATH}";;
  *) echo "unknown row $ROW (pinned, onedl, ops-py39)" >&2; exit 2;;
esac
VERSIONS="$("$PY" -c '
import sys, importlib
out = [f"python {sys.version.split()[0]}"]
for name in ("torch", "mmengine", "mmcv", "mmdet"):
    try:
        out.append(f"{name} {importlib.import_module(name).__version__}")
    except ImportError:
        pass
print(", ".join(out))' 2>/dev/null)"
set +e
"$PY" -m pytest "${TESTS[@]}" -q -p no:cacheprovider "$@" | tee "/tmp/compat-$ROW.log"
rc=${PIPESTATUS[0]}
set -e
echo "[compat] $ROW ($(date -u +%F)): $VERSIONS: $(tail -1 "/tmp/compat-$ROW.log")"
exit "$rc"
