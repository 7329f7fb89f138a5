"""``mmdet_eiou.EIoULoss``: mmdet's loss conventions, degenerate inputs and low precision."""
import pytest
import torch
from mmdet.models.losses import GIoULoss

from mmdet_eiou.models.losses import EIoULoss
from mmdet_eiou.ops import eiou_loss, extended_iou


def boxes(n, seed=0, scale=100.0):
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(n, 2, generator=g) * scale
    wh = torch.rand(n, 2, generator=g) * scale / 2 + 1
    target = torch.cat([xy, xy + wh], 1)
    pred = target + torch.randn(n, 4, generator=g) * scale / 10
    return pred, target


def test_per_box_value_is_weighted_power_of_one_minus_eiou():
    pred, target = boxes(64)
    loss = EIoULoss(power=1.5, loss_weight=3.0, reduction='none')(pred, target)
    expected = 3.0 * (1 - extended_iou(pred, target)).pow(1.5)
    assert torch.allclose(loss, expected, rtol=1e-5)


def test_weight_avg_factor_and_reduction_follow_mmdet():
    pred, target = boxes(50, seed=1)
    weight = torch.rand(50)
    weight[::3] = 0
    per_box = EIoULoss(reduction='none')(pred, target)
    ours = EIoULoss(loss_weight=2.0)
    assert torch.allclose(ours(pred, target, weight), 2 * (per_box * weight).mean(), rtol=1e-5)
    assert torch.allclose(ours(pred, target, weight, avg_factor=7.0),
                          2 * (per_box * weight).sum() / 7.0, rtol=1e-5)
    # a tensor avg_factor (FCOS's, DETR's heads reduce it across processes) divides alike
    assert torch.allclose(ours(pred, target, weight, avg_factor=torch.tensor(7.0)),
                          2 * (per_box * weight).sum() / 7.0, rtol=1e-5)
    assert torch.allclose(ours(pred, target, weight, reduction_override='sum'),
                          2 * (per_box * weight).sum(), rtol=1e-5)
    # (N, 4) weights are averaged over the last dim, as in mmdet's IoU losses
    w4 = weight[:, None].expand(-1, 4).clone()
    w4[:, 0] *= 3
    assert torch.allclose(ours(pred, target, w4), 2 * (per_box * w4.mean(-1)).mean(), rtol=1e-5)
    with pytest.raises(ValueError, match='avg_factor'):  # mmdet's rule for 'sum'
        ours(pred, target, weight, avg_factor=7.0, reduction_override='sum')


@pytest.mark.parametrize('mode', ['select', 'mask'])
def test_weight_and_boxes_pass_gradcheck_through_every_reduction(mode):
    """The weight and the reduction are applied inside the loss's autograd function: its
    backward is checked in float64 against finite differences for the boxes and for a weight
    that requires a gradient (mmdet's weight_reduce_loss would give it one), zeros included."""
    pred, target = (b.double() for b in boxes(6, seed=3))
    weight = torch.tensor([0.5, 0., 2., -1., 0., 1.5], dtype=torch.float64)
    for kwargs in (dict(), dict(avg_factor=5.0), dict(reduction_override='sum'),
                   dict(reduction_override='none')):
        loss_fn = EIoULoss(power=2.5, zero_weight_rows=mode, loss_weight=2.0)  # SOT: not a
        # gradient of the loss by design (test_eiou_math checks it as a scaled one)
        assert torch.autograd.gradcheck(
            lambda p, w: loss_fn(p, target, w, **kwargs),
            (pred.clone().requires_grad_(), weight.clone().requires_grad_())), kwargs


def test_zero_weight_rows_get_no_gradient_and_are_skipped():
    pred, target = boxes(20, seed=2)
    pred[11] = target[11] + 200  # one of the two kept rows is disjoint from its target
    weight = torch.zeros(20)
    weight[[3, 11]] = 1.0
    pred.requires_grad_()
    loss_fn = EIoULoss(reduction='none')
    loss_fn.stats_read = True  # a reader (EIoUStatsHook) makes the loss count what it sees
    loss = loss_fn(pred, target, weight)
    loss.sum().backward()
    assert (pred.grad[weight == 0] == 0).all() and (pred.grad[weight > 0] != 0).any()
    # the skipped rows count nowhere: loss 0, and the statistics (from the loss's EIoU) see
    # only the two kept pairs, one of them disjoint
    eiou = extended_iou(pred[weight > 0], target[weight > 0]).detach()
    assert (loss[weight == 0] == 0).all() and loss_fn.pop_stats() == dict(pairs=2.0,
                                                                          disjoint_frac=0.5)
    assert eiou[0] > 0 >= eiou[1]
    assert torch.allclose(loss[weight > 0], (1 - eiou).pow(2))


def rows_computed(monkeypatch):
    """How many rows each call of the loss's kernel got (the kernel itself is unchanged)."""
    from mmdet_eiou.models.losses import eiou_loss as module
    sizes, kernel = [], module.eiou_loss_in_compute_dtype

    def counting(pred, *args, **kwargs):
        sizes.append(pred.size(0))
        return kernel(pred, *args, **kwargs)

    monkeypatch.setattr(module, 'eiou_loss_in_compute_dtype', counting)
    return sizes


def test_statistics_are_counted_only_for_a_reader():
    """Without a reader the loss computes no statistics (mmdet's losses compute none either);
    pop_stats() declares one, and the loss counts from its next call; eval mode never counts."""
    pred, target = boxes(8, seed=2)
    loss_fn = EIoULoss()
    loss_fn(pred, target)
    assert not loss_fn.stats_read and loss_fn.pop_stats() == {} and loss_fn.stats_read
    loss_fn(pred, target)
    assert loss_fn.pop_stats()['pairs'] == 8.0
    loss_fn.eval()(pred, target)
    assert loss_fn.pop_stats() == {}


@pytest.mark.parametrize('sot', [False, True])
def test_masked_rows_equal_selected_rows(sot, monkeypatch):
    """zero_weight_rows='mask' (the default: every row, no host synchronisation) and
    'select' give the same values (reduced: to the order of the sum), gradients and
    statistics, with weights that include zeros, (N, 4) weights, avg_factor, every reduction,
    all-zero weights and empty input."""
    pred, target = boxes(40, seed=7)
    priors = target + torch.randn(40, 4, generator=torch.Generator().manual_seed(8))
    weight = torch.rand(40)
    weight[::3] = 0
    weight4 = weight[:, None].expand(-1, 4).clone()
    weight4[1::4, 0] = 0  # a row with some zero columns still has a positive mean
    sizes = rows_computed(monkeypatch)
    calls = [(pred, target, w, priors, kwargs)
             for w in (weight, weight4, torch.zeros(40), None)
             for kwargs in (dict(), dict(avg_factor=7.0), dict(reduction_override='sum'),
                            dict(reduction_override='none'))]
    calls.append((pred[:0], target[:0], weight[:0], priors[:0], dict()))
    for p, t, w, pr, kwargs in calls:
        out = {}
        for mode in ('select', 'mask'):
            loss_fn = EIoULoss(sot=sot, sot_max=4.0, loss_weight=2.0, zero_weight_rows=mode)
            loss_fn.stats_read = True
            leaf = p.clone().requires_grad_()
            loss = loss_fn(leaf, t, w, priors=pr, **kwargs)
            loss.sum().backward()
            out[mode] = (loss.detach(), leaf.grad, loss_fn.pop_stats())
        if kwargs.get('reduction_override') == 'none':
            assert torch.equal(out['select'][0], out['mask'][0]), kwargs
        else:  # a sum over 26 rows or over 40 with zeros: equal up to the order of the sum
            torch.testing.assert_close(out['select'][0], out['mask'][0], rtol=1e-6, atol=0)
        assert torch.equal(out['select'][1], out['mask'][1]), kwargs
        assert out['select'][2].keys() == out['mask'][2].keys(), kwargs
        assert out['select'][2] == pytest.approx(out['mask'][2], rel=1e-6), kwargs
    # and the two really are different paths: 'mask' computes every row, 'select' the 26
    # with positive weight
    assert sizes[:2] == [26, 40] and sizes[-2:] == [0, 0]


def test_zero_weight_rows_option(monkeypatch):
    sizes = rows_computed(monkeypatch)
    pred, target = boxes(10, seed=9)
    EIoULoss()(pred, target, torch.tensor([1., 0.] * 5))
    EIoULoss(zero_weight_rows='select')(pred, target, torch.tensor([1., 0.] * 5))
    # every row by default, on the CPU too (faster with the weight in the fused kernel)
    assert EIoULoss().zero_weight_rows == 'auto' and sizes == [10, 5]
    with pytest.raises(ValueError, match='zero_weight_rows'):
        EIoULoss(zero_weight_rows='skip')


def test_empty_input_gives_zero_that_keeps_the_graph():
    pred = torch.zeros(0, 4, requires_grad=True)
    for reduction in ('mean', 'sum'):
        loss = EIoULoss(reduction=reduction)(pred, torch.zeros(0, 4))
        assert loss.item() == 0 and loss.requires_grad
        loss.backward()
    pred2, target2 = boxes(5)
    pred2.requires_grad_()
    loss = EIoULoss()(pred2, target2, torch.zeros(5))
    assert loss.item() == 0 and loss.requires_grad
    loss.backward()
    assert (pred2.grad == 0).all()


def test_bad_shapes_and_arguments_fail_clearly():
    with pytest.raises(ValueError, match='reg_decoded_bbox'):
        EIoULoss()(torch.zeros(3, 4), torch.zeros(3, 5))
    with pytest.raises(ValueError, match='power'):
        EIoULoss(power=0.5)
    with pytest.raises(ValueError, match='sot_max'):
        EIoULoss(sot_max=0.)
    bad = torch.tensor([[0., 0., float('inf'), 1.]])
    with pytest.raises(ValueError, match='non-finite predicted boxes'):
        EIoULoss()(bad, torch.ones(1, 4))
    with pytest.raises(ValueError, match='non-finite target boxes'):
        EIoULoss()(torch.ones(1, 4), bad * float('nan'))
    with pytest.raises(TypeError, match='floating'):
        eiou_loss(torch.zeros(2, 4, dtype=torch.long), torch.zeros(2, 4, dtype=torch.long))


def test_clamped_eiou_is_the_standard_iou_the_heads_use():
    """The IoU head's target (``iou_targets``: mmdet's ``bbox_overlaps``) is the loss's EIoU
    clamped to [0, 1]."""
    from mmdet.structures.bbox import bbox_overlaps
    pred, target = boxes(200, seed=4)
    iou = extended_iou(pred, target).clamp(0, 1)
    assert torch.allclose(iou, bbox_overlaps(pred, target, is_aligned=True), atol=1e-6)
    assert (iou == 0).any() and (iou > 0).any()  # disjoint and overlapping pairs


def test_sot_changes_the_gradient_not_the_value():
    pred, target = boxes(30, seed=5)
    p0, p1 = pred.clone().requires_grad_(), pred.clone().requires_grad_()
    plain, sot = EIoULoss(), EIoULoss(sot=True, sot_max=4.0)
    plain.stats_read = sot.stats_read = True
    l0, l1 = plain(p0, target), sot(p1, target)
    l0.backward()
    l1.backward()
    assert torch.equal(l0.detach(), l1.detach())
    ratio = (p1.grad / p0.grad)[p0.grad.abs() > 1e-8]
    assert (ratio > 0).all() and (ratio <= 4.0 + 1e-4).all() and (ratio > 1.01).any()
    assert 'sot_scale' not in plain.pop_stats() and 1 <= sot.pop_stats()['sot_scale'] <= 4.0


# ------------------------------------------------------------ degenerate inputs, low precision
DEGENERATE = {
    'zero_area_pred': ([5, 5, 5, 5], [0, 0, 10, 10]),
    'zero_area_both': ([5, 5, 5, 5], [5, 5, 5, 5]),
    'line_pred': ([0, 5, 10, 5], [0, 0, 10, 10]),
    'identical': ([1, 2, 30, 40], [1, 2, 30, 40]),
    'inverted_pred': ([10, 10, 0, 0], [0, 0, 10, 10]),
    'inverted_far': ([500, 400, 300, 200], [0, 0, 10, 10]),
    'far_apart': ([1e5, 1e5, 1e5 + 5, 1e5 + 5], [0, 0, 3, 3]),
    'huge': ([0, 0, 1e5, 1e5], [10, 20, 9e4, 1.1e5]),
    'tiny': ([0, 0, 1e-3, 1e-3], [0, 0, 2e-3, 1e-3]),
    'touching': ([0, 0, 1, 1], [1, 0, 2, 1]),
}
OVERLAPPING = ('identical', 'huge', 'tiny')  # the others have no overlap (EIoU <= 0)


@pytest.mark.parametrize('dtype', [torch.float32, torch.float16, torch.bfloat16])
@pytest.mark.parametrize('case', sorted(DEGENERATE))
@pytest.mark.parametrize('sot', [False, True])
def test_finite_loss_and_gradient_on_degenerate_boxes(case, dtype, sot):
    p, t = DEGENERATE[case]
    if dtype == torch.float16:  # 1e5 is beyond float16 (max 65504): scale into its range
        p, t = [[c * 0.5 for c in b] for b in (p, t)]
    pred = torch.tensor([p], dtype=dtype, requires_grad=True)
    target = torch.tensor([t], dtype=dtype)
    loss_fn = EIoULoss(sot=sot, reduction='none')
    loss_fn.stats_read = True
    loss = loss_fn(pred, target)
    loss.sum().backward()
    assert loss.dtype == dtype and pred.grad.dtype == dtype
    assert torch.isfinite(loss).all() and torch.isfinite(pred.grad).all(), (loss, pred.grad)
    assert 0 <= loss.item() <= 4
    # the loss's own EIoU in this dtype, as its statistics see it: apart or not
    assert loss_fn.pop_stats()['disjoint_frac'] == (case not in OVERLAPPING)
    if case == 'identical':
        assert loss.item() == 0 and (pred.grad == 0).all()
    if case.startswith('inverted'):
        # read as an empty box apart from the target: loss >= 1, gradient reopens the box
        assert loss.item() >= 1
        assert pred.grad[0, 2] < 0 or pred.grad[0, 0] > 0  # descent raises x2 / lowers x1


def test_inverted_boxes_are_pulled_back_to_proper_boxes():
    """Boxes inverted in x, in y or in both, anywhere around the target, recover by descent."""
    g = torch.Generator().manual_seed(0)
    n = 150
    corner = torch.rand(n, 2, generator=g) * 30 - 10
    size = torch.rand(n, 2, generator=g) * 10 + 1
    sign = torch.ones(n, 2)
    sign[:50, 0] = -1  # inverted in x
    sign[50:100, 1] = -1  # in y
    sign[100:] = -1  # in both
    pred = torch.cat([corner, corner + size * sign], 1).requires_grad_()
    target = torch.tensor([[0., 0., 10., 10.]]).expand(n, 4)
    assert (EIoULoss(reduction='none')(pred, target) >= 1).all()
    opt = torch.optim.SGD([pred], lr=5.0)
    for _ in range(1500):
        opt.zero_grad()
        EIoULoss(sot=True, reduction='sum')(pred, target).backward()
        opt.step()
    assert (pred[:, 2:] > pred[:, :2]).all()
    assert (extended_iou(pred.detach(), target) > 0.9).all()


def test_low_precision_is_computed_in_float32():
    pred, target = boxes(1000, seed=6, scale=800.0)  # areas overflow float16 if computed in it
    for dtype in (torch.float16, torch.bfloat16):
        p, t = pred.to(dtype), target.to(dtype)
        out = EIoULoss(reduction='none')(p, t)
        ref = EIoULoss(reduction='none')(p.float(), t.float())  # the same (rounded) boxes
        assert out.dtype == dtype and torch.equal(out, ref.to(dtype))
        reduced = EIoULoss(reduction='sum')(p, t)
        assert reduced.dtype == torch.float32  # a sum over many boxes would overflow float16
        assert torch.isfinite(reduced) and torch.allclose(reduced, ref.sum())


def test_equals_mmdet_giou_loss_where_giou_is_iou():
    """Where mmdet's GIoU equals IoU (target inside prediction's hull), (1 - EIoU) = GIoU loss."""
    target = torch.tensor([[0., 0., 10., 10.], [2., 2., 8., 9.]])
    pred = torch.tensor([[1., 1., 9., 9.], [2., 2., 8., 9.]])
    ours = EIoULoss(power=1.0, reduction='none')(pred, target)
    giou = GIoULoss(reduction='none')(pred, target)
    assert torch.allclose(ours, giou, atol=1e-6)
