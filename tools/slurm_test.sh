#!/usr/bin/env bash
# Testing under Slurm, as mmdet's tools/slurm_test.sh.
#   [GPUS=8] [GPUS_PER_NODE=8] tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT [args...]
# Same variables as tools/slurm_train.sh (GRES=none for CPU partitions).
set -x
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
CHECKPOINT=$4
GPUS=${GPUS:-8}
GPUS_PER_NODE=${GPUS_PER_NODE:-8}
CPUS_PER_TASK=${CPUS_PER_TASK:-5}
GRES=${GRES:-gpu:${GPUS_PER_NODE}}
SRUN_ARGS=${SRUN_ARGS:-""}
PYTHON=${PYTHON:-python}
PY_ARGS=${@:5}
if [ "$GRES" = none ]; then GRES_ARG=""; else GRES_ARG="--gres=${GRES}"; fi

PYTHONPATH="$(dirname "$0")/..":${PYTHONPATH:-} \
srun -p "${PARTITION}" \
    --job-name="${JOB_NAME}" \
    ${GRES_ARG} \
    --ntasks="${GPUS}" \
    --ntasks-per-node="${GPUS_PER_NODE}" \
    --cpus-per-task="${CPUS_PER_TASK}" \
    --kill-on-bad-exit=1 \
    ${SRUN_ARGS} \
    "$PYTHON" -u "$(dirname "$0")/test.py" "${CONFIG}" "${CHECKPOINT}" --launcher="slurm" ${PY_ARGS}
