#!/usr/bin/env bash
# README command 2: set up the environment (idempotent, fast when done before), then run the
# test suite on CPU. Extra arguments go to pytest, e.g. `bash tools/run_tests.sh -k resume`.
#
# Two workers (pytest-xdist), each taking a whole test file at a time: module-scoped fixtures
# (a Slurm cluster, trained micro-models) are built once, and one file's subprocess start-ups
# and trainings overlap another's on 2 cores. MMDET_EIOU_TEST_WORKERS=N sets the workers, 0
# runs everything in this process (for a debugger or -s).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup_env.sh
exec .venv/bin/python -m pytest tests -q -p no:cacheprovider \
  -n "${MMDET_EIOU_TEST_WORKERS:-2}" --dist loadfile "$@"
