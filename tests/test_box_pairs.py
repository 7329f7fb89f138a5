"""eiou_lab.box_pairs: the one sampler of box pairs of the checks, benchmarks and analyses."""
import pytest
import torch

from eiou_lab.box_pairs import FIG2_ARRANGEMENTS, PIXEL_BOXES, sample_box_pairs
from mmdet_eiou.ops import extended_iou


def test_default_pairs_are_the_recorded_ones():
    """tools/gradient_scale.py's numbers in docs/results.md come from these boxes (the
    sampler was its ``sample_boxes``): a changed draw would change them."""
    pred, target = sample_box_pairs(4096)
    assert pred[0].tolist() == pytest.approx([51.96663, 104.99546, 98.86790, 127.85871])
    assert target[0].tolist() == pytest.approx([50.46715, 103.36340, 104.19821, 127.52605])
    assert pred.double().sum().item() == pytest.approx(1322935.2921, rel=1e-9)
    assert target.double().sum().item() == pytest.approx(1322150.5800, rel=1e-9)


def test_default_pairs_are_positive_proposals():
    pred, target = sample_box_pairs(4096)
    iou = extended_iou(pred, target)
    assert iou.min() > 0.6 and iou.max() < 1  # overlapping, none exact
    sides = target[:, 2:] - target[:, :2]
    assert sides.min() > 12 / 3**0.5 and sides.max() < 110 * 3**0.5


def test_fig2_arrangements_are_all_frequent():
    pred, target = sample_box_pairs(2000, seed=0, **FIG2_ARRANGEMENTS)
    x_apart = (pred[:, 0] > target[:, 2]) | (target[:, 0] > pred[:, 2])
    y_apart = (pred[:, 1] > target[:, 3]) | (target[:, 1] > pred[:, 3])
    for mask in (~x_apart & ~y_apart, x_apart & ~y_apart, ~x_apart & y_apart, x_apart & y_apart):
        assert 0.2 < mask.float().mean() < 0.3


def test_pixel_boxes_overflow_float16_areas():
    """What the half-precision tests rely on: computed in float16, their unions would be inf."""
    pred, target = sample_box_pairs(4096, seed=4, **PIXEL_BOXES)
    area_sum = (pred[:, 2:] - pred[:, :2]).prod(1) + (target[:, 2:] - target[:, :2]).prod(1)
    assert area_sum.max() > torch.finfo(torch.float16).max


def test_a_seed_gives_the_same_pairs_and_leaves_the_global_generator_alone():
    state = torch.get_rng_state()
    a, b = sample_box_pairs(100, seed=3), sample_box_pairs(100, seed=3)
    assert torch.equal(torch.get_rng_state(), state)
    assert all(torch.equal(x, y) for x, y in zip(a, b))
    assert not torch.equal(a[0], sample_box_pairs(100, seed=4)[0])
