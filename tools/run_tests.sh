#!/usr/bin/env bash
# README command 2: set up the environment (idempotent, fast when done before), then run the
# test suite on CPU. Extra arguments go to pytest, e.g. `bash tools/run_tests.sh -k resume`.
#
# MMDET_EIOU_TEST_WORKERS=2 runs it on two pytest-xdist workers, each taking a whole test file
# (module fixtures built once), one torch thread each: 13 min 19-31 s against 21 min 46 s in
# one process on one 2-core machine (2026-12-06/07), but one of those two runs hit torch's
# intermittent abort at exit of a two-process gloo training (tests/test_dist.py), which the
# extra load seems to make likelier, so one process stays the default (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup_env.sh
WORKERS="${MMDET_EIOU_TEST_WORKERS:-0}"
if [ "$WORKERS" != 0 ]; then
  # two workers with two threads each would oversubscribe the cores
  export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
fi
exec .venv/bin/python -m pytest tests -q -p no:cacheprovider -n "$WORKERS" --dist loadfile "$@"
