"""What a detector's IoU head (or branch) and the full method cost per training iteration and
per image at inference, against a baseline config, both models measured in one process.

Needs mmdet (unlike the rest of :mod:`eiou_lab.benchmark`, so :mod:`eiou_lab.benchmark`
does not import this module). ``tools/benchmark_iou_head.py`` is the command line; its
recorded runs are in docs/results.md, section 2.
"""
import functools
import statistics
from typing import Dict, List, Tuple, Union

import torch
from mmdet.registry import MODELS
from mmdet.testing import demo_mm_inputs
from mmengine.config import Config
from mmengine.registry import init_default_scope

from eiou_lab.datasets import CLASSES
from mmdet_eiou.models.losses import set_sot
from .timing import median_ms

#: (name, config A, config B) of the pairs measured, file names in ``configs/synthetic/``:
#: the CPU-sized synthetic configs, so that the numbers are those of the ablation.
PAIRS = [
    ('Faster R-CNN IoU head (row 1 -> 4)', 'faster-rcnn_r18_1-smoothl1_synthetic.py',
     'faster-rcnn_r18_4-smoothl1-iouhead_synthetic.py'),
    ('Faster R-CNN IoU head (row 7 -> 8)', 'faster-rcnn_r18_7-eiou-ct-sot_synthetic.py',
     'faster-rcnn_r18_8-eiou-ct-sot-iouhead_synthetic.py'),
    ('RetinaNet IoU branch (5 -> 6)', 'retinanet_r18_5-eiou-ct-sot_synthetic.py',
     'retinanet_r18_6-eiou-ct-sot-iouhead_synthetic.py'),
    ('Faster R-CNN full method (row 1 -> 8)', 'faster-rcnn_r18_1-smoothl1_synthetic.py',
     'faster-rcnn_r18_8-eiou-ct-sot-iouhead_synthetic.py'),
]

#: side of the synthetic set's images, in pixels
IMAGE_SIZE = 160


def build(config: Union[str, Config]) -> Tuple[torch.nn.Module, torch.optim.Optimizer]:
    """The model of ``config`` (a path or a loaded config), initialised with seed 0, on the CPU,
    and an SGD optimiser over its parameters (lr 1e-3, momentum 0.9).

    A config with ``mmdet_eiou.SOTHook`` gets SOT (Eq. 28) switched on, as the hook does after
    its warm-up (no Runner here to call it); :class:`RuntimeError` if it has no EIoULoss.
    """
    cfg = config if isinstance(config, Config) else Config.fromfile(config)
    init_default_scope('mmdet')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    if any(h.type == 'mmdet_eiou.SOTHook' for h in cfg.get('custom_hooks', [])):
        if not set_sot(model, True):
            raise RuntimeError(f'{cfg.filename} has SOTHook but no mmdet_eiou.EIoULoss')
    return model, torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)


def make_batch(batch_size: int, seed: int) -> dict:
    """A packed batch (``inputs``, ``data_samples``) of ``batch_size`` random images of the
    synthetic set's size, each with 1-6 random boxes of its classes; the same for the same
    ``seed``."""
    torch.manual_seed(seed)
    return demo_mm_inputs(batch_size, image_shapes=[(3, IMAGE_SIZE, IMAGE_SIZE)] * batch_size,
                          num_items=[int(n) for n in torch.randint(1, 7, (batch_size, ))],
                          num_classes=len(CLASSES))


def train_iteration(model: torch.nn.Module, optimizer: torch.optim.Optimizer,
                    packed: dict) -> None:
    """One training iteration on ``packed``: preprocessing, forward, loss, backward, SGD step."""
    model.train()
    data = model.data_preprocessor(packed, True)
    losses = model.loss(data['inputs'], data['data_samples'])
    loss, _ = model.parse_losses(losses)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def inference(model: torch.nn.Module, packed: dict) -> None:
    """``predict`` of ``packed`` (preprocessing included) in eval mode, without gradients."""
    model.eval()
    with torch.no_grad():
        data = model.data_preprocessor(packed, False)
        model.predict(data['inputs'], data['data_samples'])


def compare(config_a: Union[str, Config], config_b: Union[str, Config], iters: int,
            warmup: int, train_batch_size: int = 4,
            num_batches: int = 8) -> Dict[str, Tuple[float, float]]:
    """Median milliseconds of model A and model B (:func:`build` of each config), as
    ``{'train': (ms_a, ms_b), 'infer': (ms_a, ms_b)}``: a :func:`train_iteration` on a batch
    of ``train_batch_size`` images, and an :func:`inference` of one image.

    Both models see the same ``num_batches`` batches in turn. Their calls alternate, A, B, A,
    B ..., so that drift in the machine's speed hits both alike; the medians are over ``iters``
    pairs of calls after ``warmup`` untimed pairs. The overhead of B is ``ms_b / ms_a - 1``.
    """
    (model_a, opt_a), (model_b, opt_b) = build(config_a), build(config_b)
    device = next(model_a.parameters()).device
    kinds = {
        'train': ([make_batch(train_batch_size, seed) for seed in range(num_batches)],
                  functools.partial(train_iteration, model_a, opt_a),
                  functools.partial(train_iteration, model_b, opt_b)),
        'infer': ([make_batch(1, 100 + seed) for seed in range(num_batches)],
                  functools.partial(inference, model_a), functools.partial(inference, model_b)),
    }
    out = {}
    for kind, (batches, step_a, step_b) in kinds.items():
        times_a: List[float] = []
        times_b: List[float] = []
        for i in range(warmup + iters):
            batch = batches[i % len(batches)]
            # the benchmarks' one timer on one call each (its median of one is that call's
            # time): A and B must alternate call by call, which its own repetitions cannot do
            ms_a = median_ms(functools.partial(step_a, batch), device, warmup=0, reps=1)
            ms_b = median_ms(functools.partial(step_b, batch), device, warmup=0, reps=1)
            if i >= warmup:
                times_a.append(ms_a)
                times_b.append(ms_b)
        out[kind] = (statistics.median(times_a), statistics.median(times_b))
    return out
