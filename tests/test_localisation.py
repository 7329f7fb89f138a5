"""eiou_lab.analysis.localisation: the IoU of each recalled object's best-scoring detection."""
import json
import math

import numpy as np
import pytest
import torch

from eiou_lab.analysis.localisation import pairwise_iou, recalled_ious, summarise_ious


def test_pairwise_iou_matches_mmdet():
    from mmdet.structures.bbox import bbox_overlaps
    g = torch.Generator().manual_seed(0)
    xy = torch.rand(30, 2, generator=g, dtype=torch.float64) * 50
    a = torch.cat([xy, xy + torch.rand(30, 2, generator=g, dtype=torch.float64) * 30 + 1], 1)
    b = a[torch.randperm(30, generator=g)] + 3
    np.testing.assert_allclose(pairwise_iou(a.numpy(), b.numpy()), bbox_overlaps(a, b).numpy(),
                               rtol=1e-12, atol=1e-12)


def test_each_object_takes_its_best_scoring_same_class_detection(tmp_path):
    coco = dict(
        images=[dict(id=1, file_name='a.png', width=100, height=100),
                dict(id=2, file_name='b.png', width=100, height=100)],
        annotations=[dict(id=1, image_id=1, category_id=1, bbox=[0, 0, 10, 10], area=100,
                          iscrowd=0),
                     dict(id=2, image_id=1, category_id=2, bbox=[50, 50, 20, 20], area=400,
                          iscrowd=0),
                     dict(id=3, image_id=2, category_id=1, bbox=[0, 0, 10, 10], area=100,
                          iscrowd=0)],
        categories=[dict(id=1, name='a'), dict(id=2, name='b')])
    ann = tmp_path / 'ann.json'
    ann.write_text(json.dumps(coco))
    preds = [dict(img_id=1, pred_instances=dict(
        # object 1: a tight box with a low score and a looser one with a high score (taken);
        # object 2: only a box of the wrong class and one below min_iou -> missed
        bboxes=torch.tensor([[0., 0., 10., 10.], [0., 0., 10., 12.], [50., 50., 70., 70.],
                             [60., 60., 80., 80.]]),
        scores=torch.tensor([0.5, 0.9, 0.8, 0.7]), labels=torch.tensor([0, 0, 0, 1])))]
    ious = recalled_ious(preds, str(ann))  # image 2 has no predictions at all
    assert ious[0] == 100 / 120 and math.isnan(ious[1]) and math.isnan(ious[2])
    stats = summarise_ious(ious)
    assert stats['recall'] == 100 / 3 and stats['median_iou'] == 100 / 120
    assert stats['iou_ge_0_9'] == 0.0


def test_rank_correlation_is_spearman():
    from scipy.stats import spearmanr
    from eiou_lab.analysis.localisation import rank_correlation
    rng = np.random.default_rng(0)
    x = rng.integers(0, 5, 200).astype(float)  # many ties
    y = x + rng.normal(0, 2, 200)
    assert rank_correlation(x, y) == pytest.approx(spearmanr(x, y).statistic, abs=1e-12)
    assert rank_correlation(x, -2 * x) == pytest.approx(-1.0)
    assert math.isnan(rank_correlation(np.ones(5), y[:5])) and math.isnan(
        rank_correlation(x[:1], y[:1]))


def test_score_iou_ranking_pairs_each_detection_with_its_class_ground_truth(tmp_path):
    from eiou_lab.analysis.localisation import detection_ious, score_iou_ranking
    coco = dict(images=[dict(id=1, file_name='a.png', width=100, height=100),
                        dict(id=2, file_name='b.png', width=100, height=100)],
                annotations=[dict(id=1, image_id=1, category_id=1, bbox=[0, 0, 10, 10],
                                  area=100, iscrowd=0)],
                categories=[dict(id=1, name='a'), dict(id=2, name='b')])
    ann = tmp_path / 'ann.json'
    ann.write_text(json.dumps(coco))
    boxes = torch.tensor([[0., 0., 10., 10.], [0., 0., 10., 12.], [0., 0., 10., 20.],
                          [0., 0., 10., 10.], [0., 0., 10., 10.]])
    preds = [dict(img_id=1, pred_instances=dict(
        # tighter boxes score higher; a perfect box of the wrong class counts as IoU 0;
        # the last box is below the score threshold
        bboxes=boxes, scores=torch.tensor([0.9, 0.8, 0.7, 0.95, 0.01]),
        labels=torch.tensor([0, 0, 0, 1, 0]))),
        dict(img_id=2, pred_instances=dict(  # no ground truth: IoU 0
            bboxes=boxes[:1], scores=torch.tensor([0.6]), labels=torch.tensor([0])))]
    scores, ious = detection_ious(preds, str(ann))
    np.testing.assert_allclose(scores, [0.9, 0.8, 0.7, 0.95, 0.6])
    np.testing.assert_allclose(ious, [1.0, 100 / 120, 0.5, 0.0, 0.0])
    stats = score_iou_ranking(preds, str(ann))
    assert stats['rho_found'] == pytest.approx(1.0) and stats['found'] == 3
    assert stats['detections'] == 5 and -1 < stats['rho_all'] < 1
