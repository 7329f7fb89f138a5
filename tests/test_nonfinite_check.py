"""The non-finite box check, in the call or deferred to once per iteration
(mmdet_eiou/ops/nonfinite.py): the same error either way, reported by EIoUStatsHook in the
iteration that saw the box; no host synchronisation per loss call when deferred (CUDA)."""
import pytest
import torch

from eiou_lab.box_pairs import PIXEL_BOXES, sample_box_pairs
from mmdet_eiou.engine import EIoUStatsHook, SOTHook
from mmdet_eiou.models.losses import EIoULoss
from mmdet_eiou.models.losses.eiou_loss import defers_nonfinite_check
from mmdet_eiou.ops import NonFiniteFlag, eiou_loss
from test_sot_hook import FakeRunner

GOOD = torch.tensor([[0., 0., 4., 4.], [1., 1., 3., 5.]])
INF_BOX = torch.tensor([[0., 0., float('inf'), 4.], [1., 1., 3., 5.]])
NAN_BOX = torch.tensor([[0., 0., 4., 4.], [1., float('nan'), 3., 5.]])
# (predicted, target, the message's start)
BAD_CALLS = {
    'inf prediction': (INF_BOX, GOOD, 'non-finite predicted boxes'),
    'nan target': (GOOD, NAN_BOX, 'non-finite target boxes'),
    'both': (INF_BOX, NAN_BOX, 'non-finite predicted boxes'),
}


def immediate_error(pred, target):
    """The error of the check in the call (the CPU's, and the default's without the hook)."""
    with pytest.raises(ValueError) as err:
        EIoULoss(nonfinite_check='immediate')(pred, target)
    return str(err.value)


@pytest.mark.parametrize('case', sorted(BAD_CALLS))
def test_deferred_check_raises_the_same_error_when_read(case):
    pred, target, message = BAD_CALLS[case]
    assert immediate_error(pred, target).startswith(message)
    loss_fn = EIoULoss(nonfinite_check='deferred')
    loss_fn.raise_if_nonfinite()  # a reader (without one the call checks, test_numerics_fuzz)
    loss_fn(pred, target)  # recorded, not raised
    loss_fn(GOOD, GOOD)  # a later clean call does not clear it
    with pytest.raises(ValueError) as err:
        loss_fn.raise_if_nonfinite()
    assert str(err.value) == immediate_error(pred, target)
    loss_fn.raise_if_nonfinite()  # read and cleared: nothing more to report


@pytest.mark.parametrize('case', sorted(BAD_CALLS))
def test_functional_loss_defers_into_a_flag(case):
    pred, target, _ = BAD_CALLS[case]
    flag = NonFiniteFlag()
    eiou_loss(GOOD, GOOD, nonfinite=flag)
    flag.raise_if_set()
    eiou_loss(pred, target, nonfinite=flag)
    with pytest.raises(ValueError) as err:
        flag.raise_if_set()
    assert str(err.value) == immediate_error(pred, target)


@pytest.mark.parametrize('hook_type', [EIoUStatsHook, SOTHook])
def test_hook_reports_a_nonfinite_prediction_in_the_same_iteration(hook_type):
    """A non-finite prediction in iteration 2 of a deferred loss: iterations 0-1 pass, the
    hook raises the loss's usual error at the end of iteration 2."""
    model = torch.nn.ModuleDict(dict(a=EIoULoss(nonfinite_check='deferred'),
                                     b=EIoULoss(nonfinite_check='deferred')))
    runner, hook = FakeRunner(model), hook_type()
    hook.before_train(runner)
    for it in range(3):
        runner.iter = it
        hook.before_train_iter(runner, it)
        model['a'](GOOD + it, GOOD)
        model['b'](INF_BOX if it == 2 else GOOD, GOOD)  # no error in the call
        if it < 2:
            hook.after_train_iter(runner, it)
    with pytest.raises(ValueError) as err:
        hook.after_train_iter(runner, 2)
    assert str(err.value) == immediate_error(INF_BOX, GOOD)


def test_auto_defers_only_on_cuda_in_training_when_the_hook_reads_it():
    """CPU behaviour unchanged (the error in the call, hook or not); CUDA defers only when an
    EIoUStatsHook reads the flag each iteration and the loss is training."""
    cpu, cuda = torch.device('cpu'), torch.device('cuda')
    assert defers_nonfinite_check('auto', cuda, training=True, read_per_iteration=True)
    for device, training, read in [(cpu, True, True), (cuda, False, True), (cuda, True, False)]:
        assert not defers_nonfinite_check('auto', device, training, read)
    for device in (cpu, cuda):
        assert defers_nonfinite_check('deferred', device, training=False,
                                      read_per_iteration=True)
        # nothing reads it: checked in the call, never left unread
        assert not defers_nonfinite_check('deferred', device, True, read_per_iteration=False)
        assert not defers_nonfinite_check('immediate', device, True, True)


def test_auto_on_the_cpu_raises_in_the_call_even_with_the_hook():
    model = torch.nn.ModuleDict(dict(a=EIoULoss()))
    EIoUStatsHook().before_train(FakeRunner(model))
    assert model['a'].nonfinite_read_per_iteration
    with pytest.raises(ValueError, match='non-finite predicted boxes'):
        model['a'](INF_BOX, GOOD)


def test_invalid_mode_is_refused():
    with pytest.raises(ValueError, match='nonfinite_check'):
        EIoULoss(nonfinite_check='never')


def test_no_host_sync_per_call_when_deferred(device):
    """On CUDA a deferred loss call (the hook's case: training, weights, priors, avg_factor,
    'auto') runs with the sync debug mode set to error; the hook's read is the iteration's
    one synchronisation. (tests/test_device.py counts the one sync of the call-time check.)"""
    if device.type != 'cuda':
        pytest.skip('host synchronisations are a CUDA matter')
    pred, target = (x.to(device) for x in sample_box_pairs(10000, seed=6, **PIXEL_BOXES))
    weight = (torch.arange(len(pred), device=device) % 3 != 0).float()
    model = torch.nn.ModuleDict(dict(loss=EIoULoss(sot=True))).to(device).train()
    hook = EIoUStatsHook()
    hook.before_train(FakeRunner(model))

    def call():
        x = pred.clone().requires_grad_()
        model['loss'](x, target, weight=weight, avg_factor=100.0, priors=target + 1).backward()

    call()
    call()  # compiled and warm
    torch.cuda.synchronize(device)
    torch.cuda.set_sync_debug_mode('error')
    try:
        call()
    finally:
        torch.cuda.set_sync_debug_mode('default')
    model['loss'].raise_if_nonfinite()


def test_deltas_in_place_of_boxes_are_said_once(monkeypatch):
    """A head that regresses deltas without reg_decoded_bbox hands the loss encoded offsets:
    about half their 'targets' have x2 < x1, which boxes never have. Said once per process,
    in the call or at the deferred read, never per call."""
    from mmdet.models.task_modules.coders import DeltaXYWHBBoxCoder

    import mmdet_eiou.ops.nonfinite as nonfinite
    g = torch.Generator().manual_seed(0)
    gt = torch.rand(64, 2, generator=g) * 100
    gt = torch.cat([gt, gt + 5 + torch.rand(64, 2, generator=g) * 50], 1)
    anchors = gt + torch.randn(64, 4, generator=g)
    coder = DeltaXYWHBBoxCoder(target_stds=[0.1, 0.1, 0.2, 0.2])
    deltas = coder.encode(anchors, gt)
    for deferred in (False, True):
        monkeypatch.setattr(nonfinite, '_said_not_boxes', False)
        loss_fn = EIoULoss(nonfinite_check='deferred' if deferred else 'immediate')
        if deferred:
            loss_fn.raise_if_nonfinite()  # a reader
        with pytest.warns(UserWarning, match='reg_decoded_bbox=True') as said:
            loss_fn(deltas + 0.01, deltas)
            loss_fn(deltas + 0.01, deltas)
            loss_fn.raise_if_nonfinite()
        assert len([w for w in said if 'reg_decoded_bbox' in str(w.message)]) == 1
    # decoded boxes, the same pairs: nothing to say
    monkeypatch.setattr(nonfinite, '_said_not_boxes', False)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        EIoULoss()(coder.decode(anchors, deltas + 0.01), gt)
