#!/usr/bin/env bash
# README command 2: set up the environment (idempotent, fast when done before), then run the
# test suite on CPU. Extra arguments go to pytest, e.g. `bash tools/run_tests.sh -k resume`.
#
# Two pytest-xdist workers by default, each taking a whole test file (module fixtures built
# once) with one torch thread, the longest files first (tests/conftest.py orders them; xdist
# would otherwise order the files by their number of tests). MMDET_EIOU_TEST_WORKERS=0 runs it
# in one process. Measured times: docs/timings.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup_env.sh
WORKERS="${MMDET_EIOU_TEST_WORKERS:-2}"
if [ "$WORKERS" != 0 ]; then
  # two workers with two threads each would oversubscribe the cores
  export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
fi
exec .venv/bin/python -m pytest tests -q -p no:cacheprovider -n "$WORKERS" --dist loadfile \
  --no-loadscope-reorder "$@"
