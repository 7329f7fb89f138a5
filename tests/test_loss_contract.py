"""``mmdet_eiou.EIoULoss`` keeps the contract of mmdet's IoU-type box losses, checked against
mmdet's ``GIoULoss`` called the same way: zero weights, refused arguments, the shape and value
of every reduction on a batch and on an empty batch, and gradients on an empty batch.

Values are compared on nested pairs (one box inside the other): there the hull is the union,
so GIoU = IoU, and the boxes overlap, so EIoU = IoU (Eq. 17), and ``1 - EIoU`` with
``power=1`` is mmdet's GIoU loss. Where the two differ on purpose, only the structure is
compared and the test says why.
"""
import itertools

import pytest
import torch
from mmdet.models.losses import GIoULoss

from mmdet_eiou.models.losses import EIoULoss
from mmdet_eiou.ops import eiou_loss

REDUCTIONS = (None, 'none', 'mean', 'sum')


def nested_pairs(n, seed=0):
    """``n`` pairs whose predicted box contains its target: EIoU = IoU = GIoU."""
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(n, 2, generator=g) * 50
    target = torch.cat([xy, xy + torch.rand(n, 2, generator=g) * 20 + 1], 1)
    margin = torch.rand(n, 4, generator=g) * 5
    pred = target + margin * torch.tensor([-1., -1., 1., 1.])
    return pred, target


def both_losses(**kwargs):
    """Ours as "EIoU without CT" (power 1) and mmdet's GIoU loss, with the same arguments."""
    return EIoULoss(power=1.0, **kwargs), GIoULoss(**kwargs)


def describe(call):
    """A test id: the call's arguments, weights by shape."""
    return ','.join(f'{k}={tuple(v.shape) if torch.is_tensor(v) else v}'
                    for k, v in call.items())


def allowed_calls(n):
    """Every reduction, with and without ``avg_factor`` (except ``'sum'``, which refuses it),
    and without weight, with ``(N,)`` and with ``(N, 4)`` positive weights."""
    g = torch.Generator().manual_seed(n)
    weights = (None, torch.rand(n, generator=g) + 0.1, torch.rand(n, 4, generator=g) + 0.1)
    for reduction, avg_factor, weight in itertools.product(REDUCTIONS, (None, 7.0), weights):
        if not (reduction == 'sum' and avg_factor is not None):
            yield dict(weight=weight, avg_factor=avg_factor, reduction_override=reduction)


@pytest.mark.parametrize('call', list(allowed_calls(10)), ids=describe)
def test_every_reduction_gives_mmdet_giou_shape_and_value(call):
    pred, target = nested_pairs(10)
    ours, mmdet = (loss_fn(pred, target, **call) for loss_fn in both_losses(loss_weight=2.0))
    assert ours.shape == mmdet.shape and ours.dtype == mmdet.dtype
    assert torch.allclose(ours, mmdet, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('call', [c for c in allowed_calls(0) if c['weight'] is None], ids=describe)
def test_empty_batch_gives_mmdet_giou_shape_and_a_zero_for_its_nan(call):
    """An empty batch, without weights (mmdet returns a scalar 0 early for any weight tensor
    without a positive entry, even for ``'none'``, where ours keeps the per-box ``(0,)``):
    the same shapes; where mmdet's mean over no box is NaN, ours is 0 (nothing to regress
    is no error, and a NaN would poison the total loss)."""
    pred, target = nested_pairs(0)
    ours, mmdet = (loss_fn(pred, target, **call) for loss_fn in both_losses())
    assert ours.shape == mmdet.shape and ours.dtype == mmdet.dtype
    reduction = call['reduction_override']
    if reduction in (None, 'mean') and call['avg_factor'] is None:
        assert torch.isnan(mmdet) and ours.item() == 0
    else:
        assert torch.equal(ours, mmdet)


@pytest.mark.parametrize('n', [10, 0])
@pytest.mark.parametrize('weight_shape', [None, (), (4, )], ids=['no weight', '(N,)', '(N, 4)'])
def test_avg_factor_with_sum_raises_as_in_mmdet(n, weight_shape):
    pred, target = nested_pairs(n)
    weight = None if weight_shape is None else torch.ones((n, ) + weight_shape)
    message = 'avg_factor can not be used with reduction="sum"'
    with pytest.raises(ValueError, match=message):
        EIoULoss()(pred, target, weight, avg_factor=7.0, reduction_override='sum')
    with pytest.raises(ValueError, match=message):
        EIoULoss(reduction='sum')(pred, target, weight, avg_factor=7.0)
    if n or weight is None:  # (mmdet's early return for empty weights skips its check)
        with pytest.raises(ValueError, match=message):
            GIoULoss()(pred, target, weight, avg_factor=7.0, reduction_override='sum')


@pytest.mark.parametrize('reduction_override', [True, 'avg', 'elementwise_mean', 'Mean'])
def test_invalid_reduction_override_is_refused_as_in_mmdet(reduction_override):
    pred, target = nested_pairs(10)
    for loss_fn in both_losses():
        with pytest.raises(AssertionError):
            loss_fn(pred, target, reduction_override=reduction_override)
    with pytest.raises(AssertionError, match='reduction_override'):  # ours says what is wrong
        EIoULoss()(pred[:0], target[:0], reduction_override=reduction_override)


@pytest.mark.parametrize('weight_shape', [(10, ), (10, 4)])
@pytest.mark.parametrize('call', [dict(), dict(avg_factor=7.0), dict(reduction_override='sum'),
                                  dict(reduction_override='none')], ids=describe)
def test_zero_weights_give_zero_and_no_gradient(weight_shape, call):
    """All-zero weights: loss 0 and zero gradients, as mmdet's GIoULoss (whose ``'none'`` is
    a scalar 0 there; ours stays per box, ``(N,)`` of zeros)."""
    pred, target = (x.requires_grad_() for x in nested_pairs(10))
    weight = torch.zeros(weight_shape)
    ours, mmdet = (loss_fn(pred, target, weight, **call) for loss_fn in both_losses())
    expected_shape = (10, ) if call.get('reduction_override') == 'none' else ()
    assert ours.shape == expected_shape and (ours == 0).all() and mmdet.item() == 0
    ours.sum().backward()
    assert torch.equal(pred.grad, torch.zeros(10, 4))
    assert torch.equal(target.grad, torch.zeros(10, 4))


@pytest.mark.parametrize('reduction', ['none', 'mean', 'sum'])
@pytest.mark.parametrize('weighted', [False, True], ids=['no weight', 'weight'])
@pytest.mark.parametrize('mode', ['select', 'mask'])
def test_empty_batch_gives_both_boxes_a_zero_gradient(reduction, weighted, mode):
    """As a non-empty batch does, and as the functional ``eiou_loss`` does: zeros of shape
    ``(0, 4)`` for each box tensor that requires a gradient (a graph that reaches both, so
    that DDP sees every parameter used)."""
    pred, target = torch.zeros(0, 4, requires_grad=True), torch.zeros(0, 4, requires_grad=True)
    weight = torch.zeros(0) if weighted else None
    loss = EIoULoss(reduction=reduction, zero_weight_rows=mode)(pred, target, weight)
    assert loss.shape == ((0, ) if reduction == 'none' else ()) and (loss == 0).all()
    loss.sum().backward()
    assert torch.equal(pred.grad, torch.zeros(0, 4))
    assert torch.equal(target.grad, torch.zeros(0, 4))
    functional_pred, functional_target = (torch.zeros(0, 4, requires_grad=True)
                                          for _ in range(2))
    eiou_loss(functional_pred, functional_target).sum().backward()
    assert functional_pred.grad.shape == functional_target.grad.shape == (0, 4)


def test_empty_batch_gradient_only_where_required():
    pred, target = torch.zeros(0, 4, requires_grad=True), torch.zeros(0, 4)
    EIoULoss()(pred, target).backward()
    assert pred.grad.shape == (0, 4) and target.grad is None
