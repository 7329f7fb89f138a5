"""Box losses side by side: forward+backward time and saved memory at each N, with ratios
against the baselines measured in the same run (steadier than milliseconds on a shared
machine)."""
import functools
import math
import statistics
from typing import Dict, List, Sequence

import torch

from eiou_lab.box_pairs import PIXEL_BOXES, sample_box_pairs
from .losses import BASELINES, LossFn
from .memory import saved_mib
from .timing import median_ms


def compare_losses(losses: Dict[str, LossFn], sizes: Sequence[int], device: torch.device,
                   reps: int = 30, warmup: int = 3, rounds: int = 5) -> List[dict]:
    """One row per (N, loss): ``n``, ``loss``, ``reps``, ``ms`` (median forward+backward of
    the mean loss over N detector-like float32 pairs), ``saved_mib`` and ``x <baseline>`` for
    each baseline measured. Above N = 1e5 a third of ``reps`` (at least 5): a call takes
    long there and varies less.

    The repetitions are split into ``rounds``; in each round every loss is timed in turn
    (the order rotated from round to round), so that a drift of the machine (other load, its
    clock) falls on all of them alike. ``ms`` is the median of the rounds' medians, and a
    ratio the median of the rounds' ratios (each a loss against a baseline timed in the same
    round): on a shared 2-core machine one pass per loss gave the eager GIoU at N = 1e2 anywhere
    from 0.54 to 1.2 ms (2026-12-02)."""
    rows = []
    for n in sizes:
        pred, target = (x.to(device) for x in sample_box_pairs(n, seed=0, **PIXEL_BOXES))
        n_reps = reps if n <= 10**5 else max(5, reps // 3)
        names = list(losses)
        steps = {name: functools.partial(forward_backward, losses[name], pred, target)
                 for name in names}
        times: Dict[str, List[float]] = {name: [] for name in names}
        for r in range(rounds):
            for name in names[r % len(names):] + names[:r % len(names)]:
                times[name].append(median_ms(steps[name], device, warmup if r == 0 else 0,
                                             max(1, n_reps // rounds)))
        bases = [base for base in BASELINES if base in times]
        for name in names:
            row = dict(n=n, loss=name, reps=n_reps, ms=statistics.median(times[name]),
                       saved_mib=saved_mib(losses[name], pred, target))
            row.update({f'x {base}': statistics.median(
                [a / b for a, b in zip(times[name], times[base])]) for base in bases})
            rows.append(row)
    return rows


def forward_backward(loss_fn: LossFn, pred: torch.Tensor, target: torch.Tensor) -> None:
    """One training step's work of a box loss: the loss of a fresh leaf, and its gradient."""
    x = pred.clone().requires_grad_()
    loss_fn(x, target).backward()


def markdown_table(rows: List[dict]) -> List[str]:
    """The rows of :func:`compare_losses` as the lines of a Markdown table."""
    ratios = [key for key in rows[0] if key.startswith('x ')] if rows else []
    lines = ['| N | loss | reps | ms | saved MiB | ' + ' | '.join(ratios) + ' |',
             '|---:|---|---:|---:|---:|' + '---:|' * len(ratios)]
    for row in rows:
        cells = [power_of_ten(row['n']), row['loss'], str(row['reps']), f'{row["ms"]:.3f}',
                 f'{row["saved_mib"]:.1f}'] + [f'{row[key]:.2f}' for key in ratios]
        lines.append('| ' + ' | '.join(cells) + ' |')
    return lines


def power_of_ten(n: int) -> str:
    """``1e4`` for 10000, the number itself otherwise."""
    exp = round(math.log10(n)) if n > 0 else 0
    return f'1e{exp}' if 10**exp == n else str(n)
