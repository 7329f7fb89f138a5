#!/usr/bin/env bash
# README command 2: set up the environment (idempotent, fast when done before), then run the
# test suite on CPU. Extra arguments go to pytest, e.g. `bash tools/run_tests.sh -k resume`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup_env.sh
exec .venv/bin/python -m pytest tests -q -p no:cacheprovider "$@"
