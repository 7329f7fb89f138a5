"""One process meeting many kernel variants (power x SOT x symmetric x dtype x which gradients):
each is compiled from its own code copy, so dynamo never hits its recompile limit (8 per code
object), warns, or falls back to eager silently (mmdet_eiou/ops/compile.py)."""
import itertools

import pytest
import torch
from torch._dynamo.utils import counters

import mmdet_eiou.ops.compile as compile_module
import mmdet_eiou.ops.eiou as eiou_module
from mmdet_eiou.ops import compile_mode, eiou_loss
from mmdet_eiou.ops.compile import FusedKernel

# 12 variants a user reaches by sweeping options in one notebook or study worker
VARIANTS = list(itertools.product([torch.float32, torch.float64], [False, True],
                                  [False, True], ['pred', 'both', 'prior']))[:12]


def sweep():
    for dtype, sot, symmetric, grads in VARIANTS:
        pred = torch.rand(7, 4, dtype=dtype, generator=torch.Generator().manual_seed(0))
        pred[:, 2:] += 1
        target = (pred + 0.1).requires_grad_(grads == 'both')
        pred.requires_grad_()
        area = torch.ones(7, dtype=dtype) if grads == 'prior' else None
        loss = eiou_loss(pred, target, power=1.5, sot=sot, symmetric=symmetric,
                         sot_area=area)
        loss.sum().backward()
        assert torch.isfinite(pred.grad).all()


@pytest.fixture
def dynamo_only_kernel(monkeypatch):
    """The loss's kernel behind dynamo with the eager backend: the same guards, caches and
    recompile limit as inductor's, without its code generation (seconds, not minutes). Its
    code copies are new code objects: no other test's compiled kernels are touched."""
    kernel = FusedKernel(eiou_module._loss_and_gradients, backend='eager')
    monkeypatch.setattr(eiou_module, '_kernel', kernel)
    return kernel


def compiled_frames(run):
    """``(frames dynamo was asked to compile, frames it compiled)`` during ``run()``."""
    before = dict(counters['frames'])
    run()
    after = counters['frames']
    return (after['total'] - before.get('total', 0), after['ok'] - before.get('ok', 0))


def test_twelve_variants_compile_without_reaching_the_limit(dynamo_only_kernel):
    def twice():
        sweep()
        sweep()  # every variant again: served by its own cache, nothing recompiled

    with compile_mode(True):
        asked, compiled = compiled_frames(twice)
    assert len(dynamo_only_kernel._compiled) == 12
    assert asked == compiled == 12  # every variant compiled once, none left eager


def test_one_code_object_would_hit_the_limit(dynamo_only_kernel, monkeypatch):
    """The check above can fail: with every variant on one code object, dynamo stops
    compiling after the limit's 8 and runs the rest eager."""
    config = torch._dynamo.config  # recompile_limit was cache_size_limit before torch 2.6
    limit = getattr(config, 'recompile_limit', None) or config.cache_size_limit
    if limit >= len(VARIANTS):
        pytest.skip(f'this torch allows {limit} compilations per code object')
    shared = compile_module._own_code_copy(eiou_module._loss_and_gradients, 99)
    monkeypatch.setattr(compile_module, '_own_code_copy', lambda fn, tag: shared)
    with compile_mode(True):
        asked, compiled = compiled_frames(sweep)
    assert compiled <= limit
