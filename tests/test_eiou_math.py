"""EIoU (Eq. 10-22), CT (Eq. 23) and SOT (Eq. 28): values and exact gradients, in float64.

Every expectation comes from an independent source: the paper's own worked numbers (Fig. 3),
a literal per-pair reference of Eq. 1-23 (tests/reference.py), mmdet's ``bbox_overlaps``,
finite differences and ``torch.autograd.gradcheck``. The Fig. 2 values and gradchecks take
the ``device`` fixture: they run on ``--device`` too (tests/conftest.py, tools/gpu_check.py).
"""
import math

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmdet_eiou.ops import eiou_loss, extended_intersection_union, extended_iou, set_compile_mode
from reference import FIG2_TARGET as TARGET
from reference import (FIG2_CASES, eiou_reference, finite_difference_grad, giou_reference,
                       smooth_eiou_reference)



@pytest.fixture(autouse=True)
def float64_by_default():
    """Every tensor of this module is float64 (restored after each test: other modules
    build float32 models)."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)


@pytest.fixture(params=['eager', 'compiled'])
def mode(request):
    set_compile_mode(request.param == 'compiled')
    yield request.param
    set_compile_mode(None)


def tensor(*boxes):
    return torch.tensor(boxes, dtype=torch.float64)


def bbox_overlaps(*args, **kwargs):
    """mmdet's IoU/GIoU, imported here so that the tests without it (the device tests, which
    tools/gpu_check.py runs on a GPU machine that may lack mmdet) need no mmdet."""
    return pytest.importorskip('mmdet.structures.bbox').bbox_overlaps(*args, **kwargs)


def test_fig3_worked_numbers():
    a, b = tensor([0, 0, 1, 1]), tensor([0.5, 0.5, 1.5, 1.5])
    assert extended_iou(a, b).item() == pytest.approx(1 / 7, abs=1e-15)
    assert bbox_overlaps(a, b, is_aligned=True).item() == pytest.approx(1 / 7, abs=1e-15)
    assert bbox_overlaps(a, b, mode='giou', is_aligned=True).item() == pytest.approx(
        -5 / 63, abs=1e-15)
    assert giou_reference(a[0], b[0]) == pytest.approx(-5 / 63, abs=1e-15)
    touching = tensor([1, 0, 2, 1])
    assert extended_iou(a, touching).item() == 0.0
    # Fig. 3's point: EIoU ranks the overlapping pair above the touching one, GIoU does not.
    assert extended_iou(a, b) > extended_iou(a, touching)


@pytest.mark.parametrize('case', sorted(FIG2_CASES))
def test_values_match_reference_in_fig2_cases(case, device):
    p, t = tensor(FIG2_CASES[case]).to(device), tensor(TARGET).to(device)
    ours = extended_iou(p, t).item()
    assert ours == pytest.approx(eiou_reference(FIG2_CASES[case], TARGET), abs=1e-12)
    if case.startswith('a'):
        assert ours > 0
    else:
        assert ours < 0


def random_pairs(n, seed, spread=4.0):
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(n, 2, 2, generator=g) * spread - spread / 2
    wh = torch.rand(n, 2, 2, generator=g) * 2 + 0.05
    boxes = torch.cat([xy, xy + wh], dim=-1)  # (n, 2 boxes, 4)
    return boxes[:, 0].contiguous(), boxes[:, 1].contiguous()


def test_values_match_reference_on_random_pairs():
    pred, target = random_pairs(2000, seed=0)
    ours = extended_iou(pred, target)
    ref = torch.tensor([eiou_reference(p, t) for p, t in zip(pred.tolist(), target.tolist())])
    assert (ours - ref).abs().max().item() < 1e-9
    # all four configurations occur in the sample
    x_apart = (pred[:, 0] > target[:, 2]) | (target[:, 0] > pred[:, 2])
    y_apart = (pred[:, 1] > target[:, 3]) | (target[:, 1] > pred[:, 3])
    for mask in (~x_apart & ~y_apart, x_apart & ~y_apart, ~x_apart & y_apart, x_apart & y_apart):
        assert mask.sum() > 50


def test_equals_iou_when_overlapping_and_is_symmetric():
    pred, target = random_pairs(5000, seed=1, spread=1.0)
    iou = bbox_overlaps(pred, target, is_aligned=True)
    overlapping = iou > 0
    assert overlapping.sum() > 1000
    eiou = extended_iou(pred, target)
    assert (eiou[overlapping] - iou[overlapping]).abs().max().item() < 1e-12
    assert (eiou[~overlapping] <= 0).all()
    assert (extended_iou(target, pred) - eiou).abs().max().item() < 1e-12
    assert eiou.min() >= -1 and eiou.max() <= 1


@pytest.mark.parametrize('direction', [(1, 0), (0, 1), (1, 1), (-1, 0), (0, -1), (-1, 1)])
def test_negative_and_decreasing_with_distance(direction):
    target = tensor(TARGET)
    distances = torch.linspace(0.05, 20, 60)
    dx, dy = direction
    # start just clear of the target along the direction, then move away
    start = torch.tensor([2.0 if dx > 0 else -1.0 if dx < 0 else 0.5,
                          1.0 if dy > 0 else -1.0 if dy < 0 else 0.2])
    pred = torch.stack([
        torch.cat([start + d * torch.tensor([dx, dy]), start + d * torch.tensor([dx, dy]) + 1])
        for d in distances])
    eiou = extended_iou(pred, target.expand_as(pred))
    assert (eiou < 0).all()
    assert (eiou.diff() < 0).all(), eiou


# ---------------------------------------------------------------- gradients
@pytest.mark.parametrize('power', [1.0, 1.5, 2.0, 3.0])
@pytest.mark.parametrize('case', sorted(FIG2_CASES))
def test_gradcheck_in_fig2_cases(case, power, mode, device):
    p = tensor(FIG2_CASES[case]).to(device).requires_grad_()
    t = tensor(TARGET).to(device).requires_grad_()  # the target gradient is exact too
    assert torch.autograd.gradcheck(
        lambda a, b: eiou_loss(a, b, power=power), (p, t), eps=1e-6, atol=1e-9, rtol=1e-7)


@pytest.mark.parametrize('case', sorted(FIG2_CASES))
def test_gradient_equals_finite_differences_of_reference(case, mode):
    p = tensor(FIG2_CASES[case]).requires_grad_()
    loss, _, _ = eiou_loss(p, tensor(TARGET), power=2.0, return_terms=True)
    loss.sum().backward()
    fd = finite_difference_grad(smooth_eiou_reference, FIG2_CASES[case], TARGET)
    for ours, ref in zip(p.grad[0].tolist(), fd):
        assert ours == pytest.approx(ref, rel=1e-7, abs=1e-9)


def test_gradients_match_autograd_of_reference_on_random_pairs(mode):
    pred, target = random_pairs(3000, seed=2)
    pred.requires_grad_()
    target.requires_grad_()
    loss, _, _ = eiou_loss(pred, target, power=2.0, return_terms=True)
    gp, gt = torch.autograd.grad(loss.sum(), (pred, target))
    # autograd through a plain float64 transcription of Eq. 1-23
    p2, t2 = pred.detach().clone().requires_grad_(), target.detach().clone().requires_grad_()
    x1 = torch.maximum(p2[:, 0], t2[:, 0])
    y1 = torch.maximum(p2[:, 1], t2[:, 1])
    x2 = torch.minimum(p2[:, 2], t2[:, 2])
    y2 = torch.minimum(p2[:, 3], t2[:, 3])
    x0 = torch.minimum(p2[:, 0], t2[:, 0])
    y0 = torch.minimum(p2[:, 1], t2[:, 1])
    ie = ((x2 - x0) * (y2 - y0) + (torch.minimum(x1, x2) - x0) * (torch.minimum(y1, y2) - y0)
          - (x1 - x0) * (torch.maximum(y1, y2) - y0) - (torch.maximum(x1, x2) - x0) * (y1 - y0))
    st_ = (t2[:, 2] - t2[:, 0]) * (t2[:, 3] - t2[:, 1])
    sp = (p2[:, 2] - p2[:, 0]) * (p2[:, 3] - p2[:, 1])
    ref = (1 - ie / (st_ + sp - ie)) ** 2
    rp, rt = torch.autograd.grad(ref.sum(), (p2, t2))
    assert torch.allclose(loss, ref, rtol=0, atol=1e-12)
    assert torch.allclose(gp, rp, rtol=1e-7, atol=1e-10)
    assert torch.allclose(gt, rt, rtol=1e-7, atol=1e-10)


def test_appendix_a_is_not_the_derivative_when_apart_in_both():
    """NOTES.md section 4: Eq. 33 sets dI_e/dx1p = 0 for x1p < x1t, but then x0 = x1p."""
    p, t = FIG2_CASES['d_apart_in_both'], TARGET

    def inter(pp):
        e = eiou_reference(pp, t)
        st_ = (t[2] - t[0]) * (t[3] - t[1])
        sp = (pp[2] - pp[0]) * (pp[3] - pp[1])
        return e * (st_ + sp) / (1 + e)  # I_e from EIoU = I/(S_t + S_p - I)

    d_inter = finite_difference_grad(lambda pp, _: inter(pp), p, t)[0]
    assert p[0] < t[0]  # Eq. 33's third branch says 0
    assert abs(d_inter) > 0.1


def test_gradient_vanishes_at_the_minimum_only_with_ct(mode):
    box = tensor([0.2, 0.1, 1.3, 0.9])
    for power, vanishes in ((2.0, True), (1.5, True), (1.0, False)):
        p = box.clone().requires_grad_()
        eiou_loss(p, box.clone(), power=power).sum().backward()
        assert (p.grad.abs().max().item() < 1e-12) == vanishes, (power, p.grad)


# ---------------------------------------------------------------- SOT
@pytest.mark.parametrize('unit', ['target', 'prior'])
def test_sot_scales_only_the_gradient_by_a_bounded_positive_factor(unit, mode):
    pred, target = random_pairs(500, seed=3)
    target = target * 3  # areas far from 1, so the two units differ
    sot_max = 5.0
    p0 = pred.clone().requires_grad_()
    l0, e0, s0 = eiou_loss(p0, target, return_terms=True)
    l0.sum().backward()
    p1 = pred.clone().requires_grad_()
    # 'prior': a unit box area of 0.5 per pair, as a detector's prior would give
    sot_area = None if unit == 'target' else torch.full((len(pred), ), 0.5)
    l1, e1, scale = eiou_loss(p1, target, sot=True, sot_area=sot_area, sot_max=sot_max,
                              return_terms=True)
    l1.sum().backward()
    assert s0 is None
    # the value is unchanged: exactly on torch >= 2.6; torch 2.1's compiler fuses the SOT
    # variant differently, within float rounding (measured, README "Compatibility")
    torch.testing.assert_close(l1, l0, rtol=1e-6, atol=0)
    torch.testing.assert_close(e1, e0, rtol=1e-6, atol=0)
    inter, union = extended_intersection_union(pred, target)
    area_t = (target[:, 2] - target[:, 0]) * (target[:, 3] - target[:, 1])
    expected = union / area_t if unit == 'target' else union / 0.5
    expected = expected.clamp(max=sot_max)
    assert torch.allclose(scale, expected, rtol=1e-12)
    assert (scale > 0).all() and (scale <= sot_max).all()
    assert (scale == sot_max).any() and (scale < sot_max).any()  # both regimes exercised
    assert torch.allclose(p1.grad, p0.grad * scale[:, None], rtol=1e-12, atol=1e-15)


def test_sot_gradient_passes_gradcheck_as_a_scaled_gradient(mode):
    """With SOT the backward is ``g * dL/dx`` with ``g`` held fixed (Eq. 28)."""
    p = tensor(FIG2_CASES['a_overlap']).requires_grad_()
    t = tensor(TARGET)
    loss, _, scale = eiou_loss(p, t, sot=True, sot_area=torch.ones(1), sot_max=100.0, return_terms=True)
    loss.sum().backward()
    fd = finite_difference_grad(smooth_eiou_reference, FIG2_CASES['a_overlap'], TARGET)
    for ours, ref in zip(p.grad[0].tolist(), fd):
        assert ours == pytest.approx(ref * scale.item(), rel=1e-7)


def test_sot_makes_updates_scale_equivariant():
    """Fig. 5(a)'s claim at one step: scaled boxes get scaled updates with SOT, not without."""
    p, t = tensor([0, 0, 0.5, 0.5]), tensor([0, 0, 1, 1])
    steps = {}
    for s in (1.0, 4.0):
        for sot in (False, True):
            x = (p * s).requires_grad_()
            eiou_loss(x, t * s, sot=sot, sot_area=torch.ones(1), sot_max=1e9).sum().backward()
            steps[s, sot] = x.grad
    assert torch.allclose(steps[4.0, True], 4 * steps[1.0, True], rtol=1e-12)
    assert torch.allclose(steps[4.0, False], steps[1.0, False] / 4, rtol=1e-12)


# ---------------------------------------------------------------- properties
coord = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
size = st.floats(1e-2, 1e3, allow_nan=False, allow_infinity=False)
box = st.tuples(coord, coord, size, size).map(lambda b: [b[0], b[1], b[0] + b[2], b[1] + b[3]])


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # dtype only
@given(box, box)
def test_property_matches_reference_iou_and_symmetry(p, t):
    pt, tt = tensor(p), tensor(t)
    ours = extended_iou(pt, tt).item()
    ref = eiou_reference(p, t)
    assert ours == pytest.approx(ref, rel=1e-9, abs=1e-9)
    assert extended_iou(tt, pt).item() == pytest.approx(ours, rel=1e-9, abs=1e-12)
    iou = bbox_overlaps(pt, tt, is_aligned=True).item()
    if iou > 0:
        assert ours == pytest.approx(iou, rel=1e-9, abs=1e-12)
    else:
        assert ours <= 1e-12
    assert -1 - 1e-12 <= ours <= 1 + 1e-12


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # dtype only
@given(box, box, st.sampled_from([1.0, 1.5, 2.0]))
def test_property_loss_nonnegative_and_zero_iff_equal(p, t, power):
    loss = eiou_loss(tensor(p), tensor(t), power=power).item()
    assert loss >= 0 and math.isfinite(loss)
    assert eiou_loss(tensor(p), tensor(p), power=power).item() == 0.0
    # "= 0 iff equal" up to what float64 can resolve: boxes that differ by more than 1e-9 of
    # their extent (1 - EIoU is then > ~1e-10, far above rounding) have a positive loss.
    extent = max(abs(c) for c in p + t) + max(p[2] - p[0], p[3] - p[1], t[2] - t[0], t[3] - t[1])
    if max(abs(a - b) for a, b in zip(p, t)) > 1e-9 * extent:
        assert loss > 0


def test_functional_reduction_as_torchvision(mode):
    """``eiou_loss(..., reduction=)``: the mean and the sum of the per-box loss, in value and
    gradient; 0 for no box; anything else refused."""
    pred = torch.tensor([[0., 0., 4., 4.], [1., 1., 3., 6.], [10., 10., 12., 12.]])
    target = torch.tensor([[1., 0., 5., 4.], [0., 0., 3., 3.], [0., 0., 2., 2.]])
    for reduction, reduce in (('mean', torch.mean), ('sum', torch.sum)):
        ours, reference = (pred.clone().requires_grad_() for _ in range(2))
        loss = eiou_loss(ours, target, power=1.5, sot=False, reduction=reduction)
        expected = reduce(eiou_loss(reference, target, power=1.5))
        (loss * 3).backward()
        (expected * 3).backward()
        assert loss.shape == () and torch.allclose(loss, expected)
        assert torch.allclose(ours.grad, reference.grad)
        empty = eiou_loss(pred[:0].clone().requires_grad_(), target[:0], reduction=reduction)
        assert empty.item() == 0
    with pytest.raises(ValueError, match='reduction'):
        eiou_loss(pred, target, reduction='avg')
