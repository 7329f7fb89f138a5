#!/usr/bin/env bash
# Training under Slurm, as mmdet's tools/slurm_train.sh.
#   [GPUS=8] [GPUS_PER_NODE=8] tools/slurm_train.sh PARTITION JOB_NAME CONFIG WORK_DIR [args...]
# GPUS is the number of tasks (processes) in all, GPUS_PER_NODE the tasks per node. On a
# partition without GPUs set GPUS_PER_NODE and GRES=none: the tasks then train on CPU (gloo).
# SRUN_ARGS adds srun options; CPUS_PER_TASK (default 5) as in mmdet.
set -x
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
WORK_DIR=$4
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
    "$PYTHON" -u "$(dirname "$0")/train.py" "${CONFIG}" --work-dir="${WORK_DIR}" --launcher="slurm" ${PY_ARGS}
