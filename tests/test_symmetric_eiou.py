"""The flip-symmetric EIoU (``symmetric=True``): the mean of Eq. 16 over the four corner
origins, its closed form, invariances and exact gradient, in float64.

The independent source is the paper's own Eq. 16 (the default kernels) evaluated on the four
flips of each pair: their mean is what the closed form must equal, value and gradient.
"""
import pytest
import torch

from mmdet_eiou.models.losses import EIoULoss
from mmdet_eiou.ops import box_iou, eiou_loss, extended_intersection_union, extended_iou
from mmdet_eiou.registry import MODELS
from test_eiou_math import float64_by_default, mode, random_pairs  # noqa: F401  (fixtures)

TARGET = [0., 0., 10., 10.]
APART = [5., 20., 10., 30.]  # below the target, overlapping it in x


def tensor(*boxes):
    return torch.tensor(boxes, dtype=torch.float64)


def flip_x(boxes):
    """Mirror at x = 0: ``(x1, y1, x2, y2) -> (-x2, y1, -x1, y2)``."""
    return boxes[:, [2, 1, 0, 3]] * tensor([-1, 1, -1, 1])


def flip_y(boxes):
    return boxes[:, [0, 3, 2, 1]] * tensor([1, -1, 1, -1])


FLIPS = [lambda b: b, flip_x, flip_y, lambda b: flip_x(flip_y(b))]


def four_corner_mean(pred, target):
    """Mean ``I_e`` and ``U_e`` of the paper's Eq. 16 and 21 measured from each of the four
    corners (flip both boxes, measure from the top-left), differentiable by autograd."""
    inters, unions = zip(*(extended_intersection_union(f(pred), f(target)) for f in FLIPS))
    return sum(inters) / 4, sum(unions) / 4


def test_worked_example():
    """Target (0, 0, 10, 10), prediction (5, 20, 10, 30): the paper's EIoU is -0.5, flipped
    horizontally -0.25. Per axis o_x = 5, E_x = 10, o_y = -10, E_y = 30, so
    I_s = o+_x o+_y + o-_x E_y + o-_y E_x = -100 and U_s = 50 + 100 + 100 = 250: -0.4. (The
    four corners' I_e are -150, -50, -150, -50: mean -100. The mean of their four EIoUs,
    (-0.5 - 0.25 - 0.5 - 0.25) / 4 = -0.375, is not what is computed.)"""
    p, t = tensor(APART), tensor(TARGET)
    assert extended_iou(p, t).item() == pytest.approx(-0.5)
    assert extended_iou(flip_x(p), flip_x(t)).item() == pytest.approx(-0.25)
    inter, union = extended_intersection_union(p, t, symmetric=True)
    assert (inter.item(), union.item()) == pytest.approx((-100., 250.))
    for flip in FLIPS:
        assert extended_iou(flip(p), flip(t), symmetric=True).item() == pytest.approx(-0.4)
    corners = [extended_intersection_union(f(p), f(t))[0].item() for f in FLIPS]
    assert corners == pytest.approx([-150., -50., -150., -50.])


@pytest.mark.parametrize('spread', [1.0, 6.0])  # mostly overlapping, mostly apart
def test_is_the_mean_of_the_four_corner_versions(spread):
    pred, target = random_pairs(3000, seed=3, spread=spread)
    inter, union = extended_intersection_union(pred, target, symmetric=True)
    mean_inter, mean_union = four_corner_mean(pred, target)
    torch.testing.assert_close(inter, mean_inter, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(union, mean_union, rtol=1e-12, atol=1e-12)


def test_invariant_to_flips_and_to_swapping_prediction_and_target():
    pred, target = random_pairs(4000, seed=4, spread=4.0)
    eiou = extended_iou(pred, target, symmetric=True)
    assert (eiou < 0).sum() > 1000 and (eiou > 0).sum() > 500
    for flip in FLIPS[1:]:
        torch.testing.assert_close(extended_iou(flip(pred), flip(target), symmetric=True),
                                   eiou, rtol=1e-12, atol=1e-12)
        # the paper's is not: measured from the top-left corner
        paper = extended_iou(pred, target)
        assert not torch.allclose(extended_iou(flip(pred), flip(target)), paper)
    torch.testing.assert_close(extended_iou(target, pred, symmetric=True), eiou, rtol=0,
                               atol=1e-12)


def test_equals_iou_when_overlapping_and_is_negative_when_apart():
    pred, target = random_pairs(4000, seed=5, spread=2.0)
    iou = box_iou(pred, target, is_aligned=True)
    eiou = extended_iou(pred, target, symmetric=True)
    overlapping = iou > 0
    assert overlapping.sum() > 1000 and (~overlapping).sum() > 100
    torch.testing.assert_close(eiou[overlapping], iou[overlapping], rtol=0, atol=1e-12)
    assert (eiou[~overlapping] < 0).all() and eiou.min() >= -1


@pytest.mark.parametrize('direction', [(1, 0), (0, 1), (1, 1), (-1, 0), (0, -1), (-1, 1)])
def test_decreases_with_distance(direction):
    """A 10 x 10 box leaving the target (0, 0, 10, 10) along each direction, from touching it
    to 40 away; shifted by 3 along an axis it does not move on."""
    dx, dy = direction
    corner = tensor([10. * dx if dx else 3., 10. * dy if dy else 3.])
    gap = torch.linspace(0., 40., 81)
    xy = corner + gap[:, None] * tensor(direction)
    eiou = extended_iou(torch.cat([xy, xy + 10], 1), tensor(TARGET).expand(81, 4),
                        symmetric=True)
    assert eiou[0].item() == 0.  # touching
    assert (eiou[1:] < 0).all() and (eiou.diff() < 0).all(), eiou
    if direction == (1, 0):  # apart along x by the gap, extent along y 13
        expected = -gap * 13 / (200 + gap * 13)  # I_s = -g E_y, U_s = 100 + 100 - I_s
        torch.testing.assert_close(eiou, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize('power', [1.0, 2.0, 3.0])
def test_gradcheck(power, mode):
    pred, target = random_pairs(40, seed=6, spread=4.0)
    p, t = pred.requires_grad_(), target.requires_grad_()
    assert torch.autograd.gradcheck(
        lambda a, b: eiou_loss(a, b, power=power, symmetric=True), (p, t), eps=1e-6,
        atol=1e-9, rtol=1e-7)


def test_sot_scales_the_gradient_by_the_symmetric_union(mode):
    pred, target = random_pairs(500, seed=8, spread=4.0)
    p0, p1 = pred.clone().requires_grad_(), pred.clone().requires_grad_()
    eiou_loss(p0, target, symmetric=True).sum().backward()
    _, _, scale = eiou_loss(p1, target, symmetric=True, sot=True, sot_area=torch.ones(500),
                            sot_max=100., return_terms=True)
    eiou_loss(p1, target, symmetric=True, sot=True, sot_area=torch.ones(500),
              sot_max=100.).sum().backward()
    _, union = extended_intersection_union(pred, target, symmetric=True)
    torch.testing.assert_close(scale, union, rtol=1e-12, atol=0)
    torch.testing.assert_close(p1.grad, p0.grad * union[:, None], rtol=1e-12, atol=1e-15)


def test_gradient_is_autograd_of_the_four_corner_mean(mode):
    """The exact backward against autograd through the paper's Eq. 16 on four flips."""
    pred, target = random_pairs(3000, seed=7, spread=4.0)
    p1, t1 = pred.clone().requires_grad_(), target.clone().requires_grad_()
    p2, t2 = pred.clone().requires_grad_(), target.clone().requires_grad_()
    eiou_loss(p1, t1, power=2.0, symmetric=True).sum().backward()
    inter, union = four_corner_mean(p2, t2)
    (1 - inter / union).pow(2).sum().backward()
    torch.testing.assert_close(p1.grad, p2.grad, rtol=1e-9, atol=1e-12)
    torch.testing.assert_close(t1.grad, t2.grad, rtol=1e-9, atol=1e-12)


def test_inverted_boxes_stay_in_minus_one_to_zero_with_finite_gradients(mode):
    target = tensor(TARGET, TARGET, TARGET)
    pred = tensor([10., 10., 0., 0.], [4., 2., 6., 1.], [30., 30., 20., 40.]).requires_grad_()
    loss, eiou, _ = eiou_loss(pred, target, power=2.0, symmetric=True, return_terms=True)
    assert ((eiou >= -1) & (eiou <= 0)).all() and (loss >= 1).all()
    loss.sum().backward()
    assert torch.isfinite(pred.grad).all()


def test_loss_option():
    """``EIoULoss(symmetric=True)`` (built from a config) is ``(1 - EIoU_s) ** power``; the
    default stays the paper's."""
    loss = MODELS.build(dict(type='mmdet_eiou.EIoULoss', symmetric=True, reduction='none'))
    assert isinstance(loss, EIoULoss) and loss.symmetric and not EIoULoss().symmetric
    p, t = tensor(APART), tensor(TARGET)
    assert loss(p, t).item() == pytest.approx(1.4 ** 2)
    assert loss(flip_x(p), flip_x(t)).item() == pytest.approx(1.4 ** 2)
    assert EIoULoss(reduction='none')(p, t).item() == pytest.approx(1.5 ** 2)
