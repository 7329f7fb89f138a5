"""The EIoU loss on the device of ``--device`` (tests/conftest.py: cpu by default, cuda when
tools/gpu_check.py runs on a GPU): float32, eager and compiled, against the same maths in
float64 on the CPU; half-precision boxes and autocast; no recompilation across box counts; one
host synchronisation per loss call (CUDA); a few AMP iterations of the full method, then a
prediction. The Fig. 2 values and the float64 gradchecks on the device are in
test_eiou_math.py. Needs torch alone; the training test needs mmdet and skips without it.
"""
import warnings

import pytest
import torch

from conftest import write_micro_config
from eiou_lab.box_pairs import FIG2_ARRANGEMENTS, PIXEL_BOXES, sample_box_pairs
from mmdet_eiou.ops import compile_mode, eiou_loss
from reference import FIG2_CASES, FIG2_TARGET

# float32 on the device against float64 on the CPU: |a - b| <= ATOL + RTOL |b| elementwise
RTOL, ATOL = 1e-4, 1e-5
# power x SOT: off, with the target's area as its unit (a head without priors), given areas
LOSS_CONFIGS = {
    f'p{power:g}{name}': dict(power=power, sot=sot, given_area=given)
    for power in (1.0, 2.0)
    for name, sot, given in (('', False, False), ('+SOT(target area)', True, False),
                             ('+SOT(given area)', True, True))
}
# Compiled, each configuration is a kernel of its own, and a cold compile costs ~10 s on
# a 2-core CPU: there (CI) only the full loss, CT + SOT with given areas, is compiled.
CPU_COMPILED = 'p2+SOT(given area)'


@pytest.fixture(params=['eager', 'compiled'])
def mode(request):
    """The loss's kernels eager, or compiled (insisting: a compiler failure fails the test)."""
    with compile_mode(request.param == 'compiled'):
        yield request.param


@pytest.fixture(scope='module')
def pairs():
    """2000 pairs in every Fig. 2 arrangement plus the six Fig. 2 pairs, float64 on the CPU,
    with a weight per box (so that the gradients differ from box to box) and a given area."""
    g = torch.Generator().manual_seed(1)
    pred, target = sample_box_pairs(2000, seed=0, **FIG2_ARRANGEMENTS)
    pred = torch.cat([pred.double(), torch.tensor(list(FIG2_CASES.values()), dtype=torch.double)])
    target = torch.cat([target.double(), torch.tensor([FIG2_TARGET] * len(FIG2_CASES))])
    n = len(pred)
    return dict(pred=pred, target=target, weight=torch.rand(n, generator=g) + 0.5,
                area=torch.rand(n, generator=g) * 4 + 0.25)


def loss_and_grads(pairs, power, sot, given_area, dtype, device):
    """Per-box loss, EIoU, SOT factor and the gradients of ``sum(weight * loss)`` w.r.t. both
    boxes, computed in ``dtype`` on ``device``, returned in float64 on the CPU."""
    pred, target, weight, area = (pairs[k].to(device, dtype, copy=True)
                                  for k in ('pred', 'target', 'weight', 'area'))
    pred.requires_grad_()
    target.requires_grad_()
    loss, eiou, scale = eiou_loss(pred, target, power=power, sot=sot,
                                  sot_area=area if given_area else None, return_terms=True)
    (loss * weight).sum().backward()
    out = dict(loss=loss, eiou=eiou, grad_pred=pred.grad, grad_target=target.grad)
    if sot:
        out['sot_scale'] = scale
    return {key: value.detach().to('cpu', torch.float64) for key, value in out.items()}


def skip_another_compile_on_cpu(device):
    if device.type == 'cpu':
        pytest.skip(f'on the CPU only {CPU_COMPILED} is compiled (each variant is a cold '
                    'compile); --device cuda compiles them all')


@pytest.mark.parametrize('config', list(LOSS_CONFIGS))
@pytest.mark.parametrize('kernels', ['eager', 'compiled'])
def test_float32_matches_float64_on_the_cpu(pairs, kernels, config, device):
    """Values, SOT factors and both gradients, on random and Fig. 2 pairs."""
    if kernels == 'compiled' and config != CPU_COMPILED:
        skip_another_compile_on_cpu(device)
    with compile_mode(False):
        ref = loss_and_grads(pairs, **LOSS_CONFIGS[config], dtype=torch.float64, device='cpu')
    with compile_mode(kernels == 'compiled'):
        ours = loss_and_grads(pairs, **LOSS_CONFIGS[config], dtype=torch.float32, device=device)
    assert ours.keys() == ref.keys()
    for key, expected in ref.items():
        torch.testing.assert_close(ours[key], expected, rtol=RTOL, atol=ATOL, msg=lambda m: (
            f'{config} {kernels} on {device}, {key}: {m}'))


@pytest.mark.parametrize('dtype', [torch.float16, torch.bfloat16], ids=['fp16', 'bf16'])
def test_half_precision_boxes_give_finite_losses_and_gradients(dtype, device):
    """Pixel boxes whose areas overflow float16: the loss computes in float32 and returns the
    input's dtype. (Eager: the kernels see float32 whatever the input, and the comparison
    above compiles them.)"""
    pred, target = (x.to(device, dtype) for x in sample_box_pairs(4096, seed=4, **PIXEL_BOXES))
    pred.requires_grad_()
    with compile_mode(False):
        loss = eiou_loss(pred, target, power=2.0, sot=True)
        loss.sum().backward()
    assert loss.dtype == dtype and pred.grad.dtype == dtype
    assert torch.isfinite(loss).all() and torch.isfinite(pred.grad).all()


def cpu_autocasts_float16() -> bool:
    try:
        with torch.autocast('cpu', dtype=torch.float16):
            return True
    except RuntimeError:
        return False


@pytest.mark.parametrize('dtype', [torch.float16, torch.bfloat16], ids=['fp16', 'bf16'])
def test_autocast_gives_finite_losses_and_gradients(dtype, mode, device):
    """A box regressor under autocast (its output in ``dtype``) trained by the loss."""
    if mode == 'compiled':
        skip_another_compile_on_cpu(device)
    if device.type == 'cuda' and dtype == torch.bfloat16 and not torch.cuda.is_bf16_supported():
        pytest.skip('no bfloat16 on this GPU')
    if device.type == 'cpu' and dtype == torch.float16 and not cpu_autocasts_float16():
        pytest.skip('CPU autocast to float16 is torch >= 2.2')
    pred, target = (x.to(device) for x in sample_box_pairs(4096, seed=4, **PIXEL_BOXES))
    layer = torch.nn.Linear(4, 4, device=device)
    with torch.no_grad():
        layer.weight.copy_(torch.eye(4))
        layer.bias.zero_()
    with torch.autocast(device.type, dtype=dtype):
        boxes = layer(pred)
        loss = eiou_loss(boxes, target, power=2.0).sum()
    loss.backward()
    assert boxes.dtype == dtype
    assert torch.isfinite(loss) and torch.isfinite(layer.weight.grad).all()


def forward_backward(n, device):
    """Forward and backward (both boxes) of the full loss, CT + SOT with given areas, on ``n``
    pixel pairs."""
    pred, target = (x.to(device) for x in sample_box_pairs(n, seed=n, **PIXEL_BOXES))
    area = (target[:, 2:] - target[:, :2]).prod(1) * 1.5  # a prior's, say
    pred.requires_grad_()
    target.requires_grad_()
    eiou_loss(pred, target, power=2.0, sot=True, sot_area=area).sum().backward()


def test_no_recompilation_across_box_counts(device):
    """The kernels are compiled with dynamic shapes: once compiled, new box counts reuse them
    (a recompilation per count would cost seconds in every new batch)."""
    if not hasattr(torch.compiler, 'set_stance'):
        pytest.skip('torch.compiler.set_stance is torch >= 2.6')
    with compile_mode(True):
        forward_backward(1000, device)  # compiles, or reuses what an earlier test compiled
        with torch.compiler.set_stance('fail_on_recompile'):
            for n in (2, 3, 7, 16, 100, 257, 1000, 4096, 10007, 65536):
                forward_backward(n, device)


def test_compiled_kernel_follows_the_power_from_call_to_call(device):
    """One compiled kernel serves every CT power (a dynamic float): values and gradients equal
    the eager kernel's whichever power compiled it first. torch 2.13 miscompiled
    ``x.pow(power - 1)`` once compiled at power 1 or 2, so the kernel takes ``power - 1``
    as an argument; this fails if that expression returns."""
    pred, target = (x.to(device) for x in sample_box_pairs(64, seed=3, **PIXEL_BOXES))

    def loss_and_grad(power):
        boxes = pred.clone().requires_grad_()
        loss = eiou_loss(boxes, target, power=power, sot=True)
        loss.sum().backward()
        return loss.detach(), boxes.grad

    for power in (2.0, 1.0, 3.0, 1.5, 1.0):
        with compile_mode(True):
            compiled = loss_and_grad(power)
        with compile_mode(False):
            eager = loss_and_grad(power)
        for got, want in zip(compiled, eager):
            torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-6, msg=f'power {power}')


def count_syncs(fn):
    """How many times ``fn()`` makes the host wait for the GPU (CUDA's sync debug mode)."""
    torch.cuda.synchronize()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        torch.cuda.set_sync_debug_mode('warn')
        try:
            fn()
        finally:
            torch.cuda.set_sync_debug_mode('default')
    # only the per-operation warnings: turning the mode on warns once that it is a prototype
    return sum('called a synchronizing' in str(w.message) for w in caught)


@pytest.fixture
def gpu(device):
    """``device`` where it is a GPU; on the CPU the test skips."""
    if device.type != 'cuda':
        pytest.skip('host synchronisations are a CUDA matter: none to count on the CPU')
    return device


def assert_one_sync(call):
    """``call()``, compiled and warm, makes the host wait for the GPU exactly once: the
    documented non-finite check. A hidden synchronisation would stall every training step."""
    call()
    call()  # compiled and warm: count the steady state
    assert count_syncs(call) == 1


@pytest.mark.parametrize('sot', [False, True], ids=['plain', 'sot'])
def test_one_host_sync_per_loss_call(sot, mode, gpu):
    pred, target = (x.to(gpu) for x in sample_box_pairs(10000, seed=6, **PIXEL_BOXES))

    def call():
        x = pred.clone().requires_grad_()
        eiou_loss(x, target, power=2.0, sot=sot).sum().backward()

    assert_one_sync(call)


@pytest.mark.parametrize('sot', [False, True], ids=['plain', 'sot'])
def test_one_host_sync_per_mmdet_loss_call(sot, mode, gpu):
    """``mmdet_eiou.EIoULoss`` as a head calls it: some zero weights, priors, avg_factor."""
    pytest.importorskip('mmdet')
    from mmdet_eiou.models.losses import EIoULoss
    pred, target = (x.to(gpu) for x in sample_box_pairs(10000, seed=6, **PIXEL_BOXES))
    loss_fn = EIoULoss(power=2.0, sot=sot).to(gpu).train()
    weight = (torch.arange(len(pred), device=gpu) % 3 != 0).float()

    def call():
        x = pred.clone().requires_grad_()
        loss_fn(x, target, weight=weight, avg_factor=100.0, priors=target + 1).backward()

    assert_one_sync(call)


# A Faster R-CNN of the full method (EIoU + CT + SOT + IoU head), trained with AMP.
TRAIN_CONFIG = 'configs/synthetic/faster-rcnn_r18_8-eiou-ct-sot-iouhead_synthetic.py'
# What write_micro_config turns on that a few iterations do not need: a checkpoint per
# iteration, validation at the end, deterministic algorithms (some CUDA kernels have none).
NO_EXTRAS = """
default_hooks['checkpoint']['interval'] = 100
train_cfg['val_interval'] = 100
randomness['deterministic'] = False
"""


def mmcv_ops_run_on(device):
    """Whether mmcv's compiled ops (NMS, RoIAlign: Faster R-CNN needs them) run on ``device``."""
    try:
        from mmcv.ops import nms
        nms(torch.tensor([[0., 0., 1., 1.]], device=device), torch.ones(1, device=device), 0.5)
    except Exception:  # noqa: BLE001  (not installed, built without ops or without CUDA)
        return False
    return True


def test_amp_training_of_the_full_method_then_prediction(device, tmp_path, request):
    """A few iterations with AMP (float16 on CUDA, bfloat16 autocast on the CPU): finite
    losses, then finite detections on validation images."""
    pytest.importorskip('mmdet')
    if device.type == 'cpu' and torch.cuda.is_available():
        pytest.skip('mmengine trains on the GPU where there is one: run with --device cuda')
    if not mmcv_ops_run_on(device):
        pytest.skip(f"mmcv's ops do not run on {device.type}")
    from mmengine.config import Config
    from mmengine.runner import Runner

    from mmdet_eiou.engine import enable_amp
    from mmdet_eiou.utils import allow_mmengine_checkpoints
    data = request.getfixturevalue('synthetic_data')
    cfg = Config.fromfile(write_micro_config(tmp_path / 'cfg.py', TRAIN_CONFIG, data,
                                             max_iters=3, extra=NO_EXTRAS))
    cfg.work_dir = str(tmp_path / 'work')
    enable_amp(cfg)
    allow_mmengine_checkpoints()
    runner = Runner.from_cfg(cfg)
    runner.train()
    losses = runner.message_hub.get_scalar('train/loss').data[0]
    assert len(losses) == 3 and torch.isfinite(torch.as_tensor(losses)).all()
    with torch.no_grad():
        outputs = runner.model.eval().test_step(next(iter(runner.val_dataloader)))
    for det in (out.pred_instances for out in outputs):
        assert torch.isfinite(det.bboxes).all() and torch.isfinite(det.scores).all()
