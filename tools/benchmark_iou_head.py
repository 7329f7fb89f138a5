"""Overheads of the IoU head and of the full method, measured against their baselines in one run.

    python tools/benchmark_iou_head.py [--iters 60] [--warmup 10]

Pairs (same data, same process, iterations interleaved A, B, A, B ... so that drift in the
machine's speed hits both alike; median over ``--iters`` after ``--warmup``):

* Faster R-CNN, Smooth-L1 (Table I row 1) against Smooth-L1 + IoU head (row 4): the IoU head;
* Faster R-CNN, EIoU + CT + SOT (row 7) against + IoU head (row 8): the IoU head;
* RetinaNet, EIoU + CT + SOT against + IoU branch: the IoU branch;
* Faster R-CNN, Smooth-L1 (row 1) against the full method (row 8): the whole method.

A training iteration is forward, loss, backward and an SGD step on a batch of 4 images of the
synthetic set's size (160 px) with 1-6 random boxes; inference is ``predict`` of one image.
The CPU-sized synthetic configs are used, so that the numbers are those of the ablation. The
overhead is the ratio B / A - 1 of the medians; the tool only measures (the recorded runs and
what they are compared with: docs/results.md, section 2).
"""
import argparse
import os.path as osp
import statistics
import time

import torch
from mmdet.registry import MODELS
from mmdet.testing import demo_mm_inputs
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope

from mmdet_eiou.datasets import CLASSES
from mmdet_eiou.models.losses import set_sot

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
SYN = 'configs/synthetic/'
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


def build(config):
    cfg = Config.fromfile(osp.join(ROOT, SYN, config))
    init_default_scope('mmdet')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    if any(h.type == 'mmdet_eiou.SOTHook' for h in cfg.get('custom_hooks', [])):
        # no Runner here to call the hook: switch SOT (Eq. 28) on as it does after its warm-up
        if not set_sot(model, True):
            raise RuntimeError(f'{config} has SOTHook but no mmdet_eiou.EIoULoss')
    return model, torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)


def make_batch(model, batch_size, seed):
    torch.manual_seed(seed)
    packed = demo_mm_inputs(batch_size, image_shapes=[(3, 160, 160)] * batch_size,
                            num_items=[int(n) for n in torch.randint(1, 7, (batch_size, ))],
                            num_classes=len(CLASSES))
    return packed


def train_iteration(model, optimizer, packed):
    model.train()
    data = model.data_preprocessor(packed, True)
    losses = model.loss(data['inputs'], data['data_samples'])
    loss, _ = model.parse_losses(losses)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def inference(model, packed):
    model.eval()
    with torch.no_grad():
        data = model.data_preprocessor(packed, False)
        model.predict(data['inputs'], data['data_samples'])


def timed(fn, *args):
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def compare(config_a, config_b, iters, warmup):
    (model_a, opt_a), (model_b, opt_b) = build(config_a), build(config_b)
    train_batches = [make_batch(model_a, 4, seed) for seed in range(8)]
    test_batches = [make_batch(model_a, 1, 100 + seed) for seed in range(8)]
    out = {}
    for kind, fn, batches, extra in (('train', train_iteration, train_batches, (opt_a, opt_b)),
                                     ('infer', inference, test_batches, (None, None))):
        times_a, times_b = [], []
        for i in range(warmup + iters):
            batch = batches[i % len(batches)]
            args_a = (model_a, extra[0], batch) if extra[0] else (model_a, batch)
            args_b = (model_b, extra[1], batch) if extra[1] else (model_b, batch)
            ta, tb = timed(fn, *args_a), timed(fn, *args_b)
            if i >= warmup:
                times_a.append(ta)
                times_b.append(tb)
        out[kind] = (1e3 * statistics.median(times_a), 1e3 * statistics.median(times_b))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--iters', type=int, default=60)
    parser.add_argument('--warmup', type=int, default=10)
    args = parser.parse_args(argv)
    # once (a second get_instance with arguments warns): keeps init_weights' report quiet
    MMLogger.get_instance('benchmark_iou_head', log_level='WARNING')
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads; median of '
          f'{args.iters} iterations after {args.warmup} warm-up, interleaved')
    print(f'{"pair":40s} {"train ms A":>10s} {"B":>8s} {"overhead":>9s} '
          f'{"infer ms A":>10s} {"B":>8s} {"overhead":>9s}')
    results = {}
    for name, a, b in PAIRS:
        res = compare(a, b, args.iters, args.warmup)
        (ta, tb), (ia, ib) = res['train'], res['infer']
        results[name] = res
        print(f'{name:40s} {ta:10.1f} {tb:8.1f} {100 * (tb / ta - 1):+8.1f}% '
              f'{ia:10.1f} {ib:8.1f} {100 * (ib / ia - 1):+8.1f}%', flush=True)
    return results


if __name__ == '__main__':
    main()
