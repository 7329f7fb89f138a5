"""Box-loss speed and memory: ours against mmdet's own losses, measured in the same run.

    python tools/benchmark_losses.py [--sizes 1000 10000 100000 1000000] [--reps 30]

For each N: forward + backward of the mean loss over N random box pairs (float32, CPU),
median wall time over ``--reps`` repetitions after warm-up, and the memory autograd keeps
between forward and backward (distinct saved tensors beyond the inputs). Ours:
``mmdet_eiou.EIoULoss`` with CT (power 2, Eq. 23) and with CT + SOT (Eq. 28; no priors are
passed, so SOT's unit is the target's area); mmdet's: SmoothL1Loss on the
(N, 4) coordinates, GIoULoss, CIoULoss and mmdet's EIoULoss. Ratios are against mmdet's
GIoULoss and SmoothL1Loss of the same run (steadier than the milliseconds on a shared
machine). The tool only measures; the recorded runs and what they are compared with are in
docs/results.md, section 1.
"""
import argparse
import statistics
import time

import torch
from mmdet.models.losses import CIoULoss, GIoULoss, SmoothL1Loss
from mmdet.models.losses import EIoULoss as MMDetEIoULoss

from mmdet_eiou.models.losses import EIoULoss


def random_pairs(n, seed=0):
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(n, 2, generator=g) * 600
    target = torch.cat([xy, xy + 4 + torch.rand(n, 2, generator=g) * 200], 1)
    pred = target + torch.randn(n, 4, generator=g) * 20
    return pred, target


def step(loss_fn, pred, target):
    x = pred.clone().requires_grad_()
    loss_fn(x, target).backward()
    return x.grad


def median_ms(loss_fn, pred, target, reps):
    for _ in range(3):
        step(loss_fn, pred, target)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        step(loss_fn, pred, target)
        times.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(times)


def saved_mib(loss_fn, pred, target):
    """Memory kept alive between forward and backward: the distinct tensors autograd saved
    (``save_for_backward`` included), which is what grows with N during training."""
    saved = {}

    def pack(t):
        saved[(t.data_ptr(), t.dtype)] = t.untyped_storage().nbytes()
        return t

    x = pred.clone().requires_grad_()
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        loss = loss_fn(x, target)
    loss.backward()
    saved.pop((x.data_ptr(), x.dtype), None)  # the input itself exists anyway
    saved.pop((target.data_ptr(), target.dtype), None)
    return sum(saved.values()) / 2**20


LOSSES = {
    'ours CT': lambda: EIoULoss(power=2.0),
    'ours CT+SOT': lambda: EIoULoss(power=2.0, sot=True),
    'mmdet SmoothL1': lambda: SmoothL1Loss(beta=1.0),
    'mmdet GIoU': lambda: GIoULoss(),
    'mmdet CIoU': lambda: CIoULoss(),
    'mmdet EIoU': lambda: MMDetEIoULoss(),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--sizes', nargs='+', type=int, default=[1000, 10000, 100000, 1000000])
    parser.add_argument('--reps', type=int, default=30)
    args = parser.parse_args(argv)
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads, float32, CPU')
    rows = []
    for n in args.sizes:
        pred, target = random_pairs(n)
        reps = max(5, args.reps if n <= 100000 else args.reps // 3)
        res = {name: (median_ms(make(), pred, target, reps), saved_mib(make(), pred, target))
               for name, make in LOSSES.items()}
        giou, sl1 = res['mmdet GIoU'][0], res['mmdet SmoothL1'][0]
        print(f'\nN = {n:.0e}  (median of {reps})')
        print(f'  {"loss":16s} {"ms":>9s} {"saved MiB":>9s} {"x GIoU":>7s} {"x SmoothL1":>10s}')
        for name, (ms, mib) in res.items():
            print(f'  {name:16s} {ms:9.3f} {mib:9.1f} {ms / giou:7.2f} {ms / sl1:10.2f}')
            rows.append((n, name, ms, mib, ms / giou, ms / sl1))
    return rows


if __name__ == '__main__':
    main()
