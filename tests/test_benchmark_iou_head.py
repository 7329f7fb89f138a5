"""eiou_lab.benchmark.iou_head: one pair of tiny synthetic models timed for a couple of
iterations (the numbers themselves are the tool's business: docs/results.md, section 2)."""
import os.path as osp

import pytest

from conftest import FRCNN_ROW1, ROOT

pytest.importorskip('mmdet')
from eiou_lab.benchmark import iou_head  # noqa: E402
from mmdet_eiou.models.losses import eiou_losses  # noqa: E402

FRCNN_ROW4 = 'configs/synthetic/faster-rcnn_r18_4-smoothl1-iouhead_synthetic.py'


def test_pairs_name_existing_configs():
    for _, a, b in iou_head.PAIRS:
        for name in (a, b):
            assert osp.isfile(osp.join(ROOT, 'configs', 'synthetic', name)), name


def test_compare_returns_positive_medians():
    res = iou_head.compare(osp.join(ROOT, FRCNN_ROW1), osp.join(ROOT, FRCNN_ROW4), iters=2,
                           warmup=1, train_batch_size=2, num_batches=2)
    assert set(res) == {'train', 'infer'}
    for ms_a, ms_b in res.values():
        assert isinstance(ms_a, float) and isinstance(ms_b, float)
        assert ms_a > 0 and ms_b > 0


def test_build_switches_sot_on():
    # row 7's config leaves sot at False and has SOTHook, which the benchmark stands in for
    model, optimizer = iou_head.build(
        osp.join(ROOT, 'configs/synthetic/faster-rcnn_r18_7-eiou-ct-sot_synthetic.py'))
    losses = list(eiou_losses(model))
    assert losses and all(loss.sot for loss in losses)
    assert optimizer.param_groups[0]['params']
