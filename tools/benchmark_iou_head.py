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
what they are compared with: docs/results.md, section 2). The logic is in
``eiou_lab.benchmark.iou_head``.
"""
import argparse
import os.path as osp

import torch
from mmengine.logging import MMLogger

from eiou_lab.benchmark.iou_head import PAIRS, compare

SYNTHETIC = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'configs', 'synthetic')


def main(argv=None):
    """Measure each pair of ``PAIRS``, print one table row per pair; returns
    ``{pair name: compare(...)}``."""
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
        res = compare(osp.join(SYNTHETIC, a), osp.join(SYNTHETIC, b), args.iters, args.warmup)
        (ta, tb), (ia, ib) = res['train'], res['infer']
        results[name] = res
        print(f'{name:40s} {ta:10.1f} {tb:8.1f} {100 * (tb / ta - 1):+8.1f}% '
              f'{ia:10.1f} {ib:8.1f} {100 * (ib / ia - 1):+8.1f}%', flush=True)
    return results


if __name__ == '__main__':
    main()
