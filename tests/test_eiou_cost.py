"""mmdet_eiou.EIoUCost: -EIoU of every prediction with every ground truth, for mmdet's
HungarianAssigner, as mmdet's IoUCost gives -IoU."""
import pytest
import torch
from mmdet.models.task_modules.assigners.match_cost import IoUCost
from mmdet.registry import TASK_UTILS
from mmengine.structures import InstanceData

from mmdet_eiou.models.task_modules import EIoUCost
from mmdet_eiou.ops import extended_iou
from test_iou import random_boxes


def instances(bboxes, labels=None):
    data = InstanceData(bboxes=bboxes)
    if labels is not None:
        data.labels = labels
    return data


@pytest.mark.parametrize('symmetric', [False, True])
def test_every_pair_is_the_elementwise_eiou_times_minus_weight(symmetric):
    pred, gt = random_boxes(7, 10), random_boxes(5, 11)
    cost = EIoUCost(weight=2.5, symmetric=symmetric)(instances(pred), instances(gt))
    assert cost.shape == (7, 5) and cost.dtype == torch.float64
    expected = -2.5 * extended_iou(pred[:, None].expand(7, 5, 4).reshape(-1, 4),
                                   gt.repeat(7, 1), symmetric=symmetric).view(7, 5)
    assert (expected > 0).any() and (expected < 0).any()  # disjoint and overlapping pairs
    torch.testing.assert_close(cost, expected, rtol=0, atol=0)
    for i in range(7):  # and row by row, pair by pair
        for j in range(5):
            assert cost[i, j] == -2.5 * extended_iou(pred[i:i + 1], gt[j:j + 1],
                                                     symmetric=symmetric)[0]


def test_overlapping_pairs_cost_what_mmdets_iou_cost_gives():
    pred = torch.tensor([[1., 1., 2., 2.], [2., 2., 3., 4.]])
    gt = torch.tensor([[0., 0., 2., 4.], [1., 2., 3., 4.]])
    theirs = IoUCost(iou_mode='iou')(instances(pred), instances(gt))
    torch.testing.assert_close(EIoUCost()(instances(pred), instances(gt)), theirs)


def test_float16_is_computed_in_float32_and_returned_in_float16():
    # areas of 1000 x 1000 boxes overflow float16 (max 65504)
    pred = torch.tensor([[0., 0., 1000., 1000.], [2000., 0., 2500., 1000.]])
    gt = torch.tensor([[0., 0., 1000., 500.]])
    cost = EIoUCost()(instances(pred.half()), instances(gt.half()))
    assert cost.dtype == torch.float16 and torch.isfinite(cost).all()
    torch.testing.assert_close(cost, EIoUCost()(instances(pred), instances(gt)).half())


def test_empty_inputs():
    boxes = random_boxes(3, 12).float()
    assert EIoUCost()(instances(boxes), instances(boxes[:0])).shape == (3, 0)
    assert EIoUCost()(instances(boxes[:0]), instances(boxes)).shape == (0, 3)


def test_builds_in_our_scope_through_mmdets_task_utils():
    cost = TASK_UTILS.build(dict(type='mmdet_eiou.EIoUCost', weight=2.0))
    assert type(cost) is EIoUCost and cost.weight == 2.0


def test_hungarian_assigner_matches_disjoint_predictions_by_distance():
    """No prediction overlaps a ground truth, so IoU ranks nothing (all costs 0); EIoU
    assigns each ground truth its nearest prediction and leaves the far one background."""
    assigner = TASK_UTILS.build(dict(type='HungarianAssigner',
                                     match_costs=[dict(type='mmdet_eiou.EIoUCost')]))
    gt = instances(torch.tensor([[0., 0., 10., 10.], [100., 0., 110., 10.]]),
                   torch.tensor([3, 5]))
    pred = instances(torch.tensor([[112., 0., 122., 10.],  # 2 right of gt 1
                                   [300., 300., 310., 310.],  # far from both
                                   [12., 0., 22., 10.]]))  # 2 right of gt 0
    # hand-worked Eq. 16 for pred 2 and gt 0: A_x = 10, C_x = 12, A_y = 10, C_y = 0:
    # I_e = 100 + 0 - 120 - 0 = -20, U_e = 200 + 20, EIoU = -1/11
    assert EIoUCost()(pred, gt)[2, 0].item() == pytest.approx(1 / 11)
    result = assigner.assign(pred, gt)
    assert result.gt_inds.tolist() == [2, 0, 1]
    assert result.labels.tolist() == [5, -1, 3]
    iou_only = TASK_UTILS.build(dict(type='HungarianAssigner',
                                     match_costs=[dict(type='IoUCost', iou_mode='iou')]))
    assert iou_only.assign(pred, gt).gt_inds.tolist() != [2, 0, 1]
