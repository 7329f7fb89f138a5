"""mmdet_eiou.ops.box_iou: the standard IoU (Eq. 1-9), aligned and pairwise, as mmdet's."""
import pytest
import torch
from mmdet.structures.bbox import bbox_overlaps

from mmdet_eiou.ops import box_area, box_intersection_union, box_iou, extended_iou


def random_boxes(n, seed):
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(n, 2, generator=g, dtype=torch.float64) * 20
    return torch.cat([xy, xy + torch.rand(n, 2, generator=g, dtype=torch.float64) * 8 + 0.5], 1)


@pytest.mark.parametrize('is_aligned', [True, False])
def test_equals_mmdets_bbox_overlaps(is_aligned):
    a, b = random_boxes(60, 0), random_boxes(60, 1)
    theirs = bbox_overlaps(a, b, is_aligned=is_aligned)
    assert (theirs == 0).any() and (theirs > 0).any()  # disjoint and overlapping pairs
    torch.testing.assert_close(box_iou(a, b, is_aligned=is_aligned), theirs, rtol=1e-12,
                               atol=1e-12)


def test_aligned_is_the_diagonal_of_pairwise():
    a, b = random_boxes(30, 2), random_boxes(30, 3)
    assert box_iou(a, b).shape == (30, 30)
    assert torch.equal(box_iou(a, b).diagonal(), box_iou(a, b, is_aligned=True))
    assert box_iou(a[:3], b).shape == (3, 30)
    with pytest.raises(ValueError, match='same shape'):
        box_iou(a[:3], b, is_aligned=True)


def test_eiou_clamped_at_zero_is_this_iou():
    """Shares no code with the EIoU kernels, so it checks them: equal where the boxes
    overlap, 0 where EIoU is negative."""
    a, b = random_boxes(200, 4), random_boxes(200, 5)
    torch.testing.assert_close(extended_iou(a, b).clamp(min=0), box_iou(a, b, is_aligned=True),
                               rtol=0, atol=1e-12)


def test_empty_and_inverted_boxes_have_no_area():
    target = torch.tensor([[0., 0., 10., 10.]])
    inverted = torch.tensor([[10., 10., 0., 0.]])
    point = torch.tensor([[5., 5., 5., 5.]])
    assert box_area(inverted).item() == 0 and box_area(target).item() == 100
    inter, union = box_intersection_union(inverted, target, is_aligned=True)
    assert inter.item() == 0 and union.item() == 100
    assert box_iou(inverted, target, is_aligned=True).item() == 0
    assert box_iou(point, point, is_aligned=True).item() == 0  # two empty boxes: 0, not NaN
    assert box_iou(point, target).item() == 0
