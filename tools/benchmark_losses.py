"""Box-loss speed and memory: ours against torchvision's, mmdet's and a plain-torch GIoU.

    python tools/benchmark_losses.py [--device cpu|cuda] [--sizes 1000 10000 100000 1000000]
        [--reps 30] [--rounds 5] [--out FILE.json]

For each N: forward + backward of the mean loss over N detector-like float32 box pairs
(``eiou_lab.box_pairs``), median over ``--reps`` after warm-up (CUDA events on a GPU,
perf_counter on the CPU; a third of the repetitions above N = 1e5), taken in ``--rounds``
rounds that time every loss in turn (ratios: the median of the rounds'), and the memory autograd
keeps between forward and backward (distinct saved tensors beyond the inputs). Ours:
``eiou_loss`` (pure torch) and, with mmdet, ``mmdet_eiou.EIoULoss``, each with CT (power 2,
Eq. 23) and CT + SOT (Eq. 28, the target's area as SOT's unit); then torchvision's GIoU and
CIoU losses (when torchvision imports), mmdet's SmoothL1Loss, GIoULoss, CIoULoss and EIoULoss
(when mmdet imports) and a plain-torch GIoU (always). Ratios are against the baselines of the
same run (steadier than the milliseconds on a shared machine). The logic is in
``eiou_lab.benchmark``; the recorded runs are in docs/results.md, section 1.
"""
import argparse
import json
import os.path as osp
import sys

import torch

# the package beside tools/ first: a bare checkout (a GPU machine with torch alone) has it there
sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from eiou_lab.benchmark import (compare_losses, compared_losses,  # noqa: E402
                                  describe_environment, markdown_table)
from mmdet_eiou.ops import get_compile_mode  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--device', choices=['cpu', 'cuda'], default='cpu')
    parser.add_argument('--sizes', nargs='+', type=int, default=[1000, 10000, 100000, 1000000])
    parser.add_argument('--reps', type=int, default=30, help='timed repetitions per N and loss')
    parser.add_argument('--rounds', type=int, default=5,
                        help='rounds that time every loss in turn (the reps split among them)')
    parser.add_argument('--out', help='also write the environment and every row to this JSON')
    return parser.parse_args(argv)


def main(argv=None):
    """Measure, print the table, write ``--out``; returns the rows."""
    args = parse_args(argv)
    device = torch.device(args.device)
    env = describe_environment(device)
    print(f'{env["device_name"]}: torch {env["torch"]} (CUDA {env["torch_cuda"]}), '
          f'{env["threads"]} threads, float32; compile mode {get_compile_mode()}')
    rows = compare_losses(compared_losses(device), args.sizes, device, args.reps,
                          rounds=args.rounds)
    print('\n'.join(markdown_table(rows)))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(environment=env, args=vars(args), rows=rows), f, indent=1)
    return rows


if __name__ == '__main__':
    main()
