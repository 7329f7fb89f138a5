"""SOTHook switches SOT on every mmdet_eiou.EIoULoss, after warm-up, and logs its factor."""
import json
import glob
import os.path as osp

import pytest
import torch
from mmengine.model import MMDistributedDataParallel

from mmdet_eiou.engine import EIoUStatsHook, SOTHook
from mmdet_eiou.models.losses import EIoULoss, set_sot


class FakeRunner:
    def __init__(self, model):
        from mmengine.logging import MessageHub, MMLogger
        self.model = model
        self.iter = 0
        self.hooks = []  # no LoggerHook: nothing to configure in a log processor
        self.logger = MMLogger.get_instance('sot_test')
        self.message_hub = MessageHub.get_instance('sot_test')


class TwoLosses(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a, self.b = EIoULoss(), torch.nn.Sequential(EIoULoss(sot_max=3.0))


def test_switches_after_warmup_and_logs_the_mean_factor():
    model = TwoLosses()
    runner, hook = FakeRunner(model), SOTHook(warmup_iters=2)
    hook.before_train(runner)
    pred = torch.tensor([[0., 0., 4., 4.]])
    target = torch.tensor([[1., 1., 3., 5.]])
    for it in range(4):
        runner.iter = it
        hook.before_train_iter(runner, it)
        assert model.a.sot == model.b[0].sot == (it >= 2)
        model.a(pred, target)
        model.b[0](pred, target)
        hook.after_train_iter(runner, it)
    logged = runner.message_hub.get_scalar('train/sot_scale').current()
    union = 16 + 8 - 6  # S_p + S_t - I
    assert logged == pytest.approx((union / 8 + min(union / 8, 3.0)) / 2)


def test_collects_the_losses_once_and_follows_runner_iter_on_resume():
    """The switch uses the losses found before training (no walk of the model per
    iteration); a run resumed past the warm-up has SOT on from its first iteration."""
    model = TwoLosses()
    runner, hook = FakeRunner(model), SOTHook(warmup_iters=2)
    hook.before_train(runner)

    def no_walk():
        raise AssertionError('the model was walked after before_train')

    model.modules = no_walk
    for it in (5, 6):  # resumed at iteration 5
        runner.iter = it
        hook.before_train_iter(runner, it)
        assert model.a.sot and model.b[0].sot


def test_finds_losses_inside_a_wrapper_and_refuses_a_model_without_ours(monkeypatch):
    model = TwoLosses()
    wrapper = MMDistributedDataParallel.__new__(MMDistributedDataParallel)
    torch.nn.Module.__init__(wrapper)
    wrapper.module = model
    hook = SOTHook()
    hook.before_train(FakeRunner(wrapper))
    assert len(hook._losses) == 2
    with pytest.raises(RuntimeError, match='no mmdet_eiou.EIoULoss'):
        SOTHook().before_train(FakeRunner(torch.nn.Linear(2, 2)))
    with pytest.raises(ValueError):
        SOTHook(warmup_iters=-1)


def test_stats_hook_logs_the_disjoint_fraction_over_every_call_of_the_iteration():
    """Each call of each loss counts (a dense head calls its loss once per FPN level)."""
    from mmengine.logging import MessageHub
    model = TwoLosses()
    runner, hook = FakeRunner(model), EIoUStatsHook()
    runner.message_hub = MessageHub.get_instance('stats_hook_test')  # not shared with others
    hook.before_train(runner)
    target = torch.tensor([[0., 0., 2., 2.]]).expand(4, 4)
    apart = torch.tensor([[5., 5., 6., 6.]]).expand(4, 4)
    hook.before_train_iter(runner, 0)
    model.a(target, target)  # 4 overlapping pairs
    model.a(apart, target, torch.tensor([1., 1., 0., 0.]))  # 2 disjoint pairs with weight
    model.b[0](apart[:2], target[:2])  # 2 more disjoint pairs
    hook.after_train_iter(runner, 0)
    logged = runner.message_hub.get_scalar('train/eiou_disjoint_frac').current()
    assert logged == pytest.approx(4 / 8)
    assert 'train/sot_scale' not in runner.message_hub.log_scalars  # SOT is off
    model.eval()  # evaluation calls are not training statistics
    model.a(apart, target)
    assert model.a.pop_stats() == {}
    EIoUStatsHook().before_train(FakeRunner(torch.nn.Linear(2, 2)))  # no loss: nothing to log


def test_set_sot_is_the_one_switch():
    model = TwoLosses()
    assert set_sot(model, True) == 2 and model.a.sot and model.b[0].sot
    assert set_sot(model, False) == 2 and not model.a.sot
    assert set_sot(torch.nn.Linear(2, 2), True) == 0
