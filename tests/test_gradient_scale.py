"""eiou_lab.analysis.gradient_scale: the box loss's gradient on the deltas, at a chosen IoU."""
import pytest
import torch

from conftest import PYTHON, run_tool
from eiou_lab.analysis.gradient_scale import at_iou, delta_gradient_norms
from eiou_lab.box_pairs import sample_box_pairs
from mmdet_eiou.models.losses import EIoULoss
from mmdet_eiou.models.task_modules import CornerDeltaBBoxCoder
from mmdet_eiou.ops import extended_iou


def test_predictions_sit_at_the_requested_iou():
    _, targets = sample_box_pairs(64)
    for q in (0.965, 0.5):
        assert torch.allclose(extended_iou(at_iou(targets, q), targets), torch.full((64, ), q),
                              atol=1e-5)


def test_ct_scales_the_gradient_by_2_times_one_minus_iou():
    """Eq. 24: d(1 - E)^2 = 2 (1 - E) d(1 - E); every box sits at the same IoU q."""
    coder = CornerDeltaBBoxCoder(target_stds=[0.1] * 4)
    p1 = delta_gradient_norms(coder, EIoULoss(power=1.0), True, ious=(0.9, 0.6), n=256)
    p2 = delta_gradient_norms(coder, EIoULoss(power=2.0), True, ious=(0.9, 0.6), n=256)
    for q in (0.9, 0.6):
        assert p2[q] == pytest.approx(2 * (1 - q) * p1[q], rel=1e-3)


def test_the_tool_prints_a_row_per_config():
    proc = run_tool([PYTHON, 'tools/gradient_scale.py',
                     'configs/synthetic/faster-rcnn_r18_1-smoothl1_precision.py',
                     'configs/synthetic/faster-rcnn_r18_7-eiou-ct-sot_precision.py'])
    rows = [line for line in proc.stdout.splitlines() if line.startswith('| faster')]
    assert len(rows) == 2 and all(float(c) > 0 for r in rows for c in r.split('|')[2:-1])
