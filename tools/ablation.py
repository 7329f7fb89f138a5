"""Run an ablation study: rows x seeds trained and scored (resumable), then compared.

    python tools/ablation.py --rows A.py B.py --seeds 0 1 2 --split test --out OUT
    python tools/ablation.py --study configs/studies/precision_faster-rcnn.py [--report-only]
    python tools/ablation.py --rows A.py B.py --seeds 0 1 --launcher slurm --partition P --wait
    python tools/ablation.py --rows B.py --tag w5 --cfg-options ...loss_weight=5.0   # a point
    python tools/ablation.py --rows B.py --tag nms --test-options ...mode=nms  # at inference

A command line over ``eiou_lab.experiments``: ``--rows`` (the first is the baseline unless
``--baseline``) or a study file; each run trains with ``tools/train.py`` and scores its split
with ``tools/test.py`` through ``mmdet_eiou.CocoAPAtIoUMetric`` at the config evaluator's IoU
thresholds. ``--launcher local`` (``--jobs N``: N trainings side by side), ``pytorch`` (each
run through ``tools/dist_train.sh``/``dist_test.sh``, ``--gpus`` processes) or ``slurm`` (one
job per run through ``tools/slurm_train.sh``/``slurm_test.sh``; mmdet's ``PARTITION``,
``GPUS``, ``GPUS_PER_NODE``, ``CPUS_PER_TASK``, ``SRUN_ARGS``; call again to collect, or
``--wait``). Writes ``OUT/results.md``, ``OUT/results.json`` and plots.
"""
import sys
import warnings

# setuptools < 81 (pinned: mmcv and mim need pkg_resources) warns on every import of it, as
# mmengine's when it resolves `mmdet::` configs; not ours to act on, so silence exactly that.
warnings.filterwarnings('ignore', message='pkg_resources is deprecated', category=UserWarning)

from eiou_lab.experiments.ablation_command import main  # noqa: E402

if __name__ == '__main__':
    sys.exit(main())
