#!/usr/bin/env bash
# README command 1, the main job: set up, generate the embedded synthetic data, train and
# evaluate the Smooth-L1 baseline and the full method (EIoU + CT + SOT + IoU head) Faster R-CNN
# on CPU, then print AP, AP50, AP75, AP90 side by side and write the plots to work_dirs/main/.
# Finished runs are reused (delete work_dirs/main to start over); a killed run resumes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup_env.sh
if [ ! -f data/synthetic/val.json ]; then
  .venv/bin/python tools/make_synthetic_data.py --out data/synthetic --seed 0 \
    --num-train 400 --num-val 100
fi
exec .venv/bin/python tools/ablation.py --work-dir work_dirs/main --seeds 0 --rows \
  configs/synthetic/faster-rcnn_r18_1-smoothl1_synthetic.py \
  configs/synthetic/faster-rcnn_r18_8-eiou-ct-sot-iouhead_synthetic.py "$@"
