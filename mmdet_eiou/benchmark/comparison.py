"""Box losses side by side: forward+backward time and saved memory at each N, with ratios
against the baselines measured in the same run (steadier than milliseconds on a shared
machine)."""
import functools
import math
from typing import Dict, List, Sequence

import torch

from mmdet_eiou.box_pairs import PIXEL_BOXES, sample_box_pairs
from .losses import BASELINES, LossFn
from .memory import saved_mib
from .timing import median_ms


def compare_losses(losses: Dict[str, LossFn], sizes: Sequence[int], device: torch.device,
                   reps: int = 30, warmup: int = 3) -> List[dict]:
    """One row per (N, loss): ``n``, ``loss``, ``reps``, ``ms`` (median forward+backward of
    the mean loss over N detector-like float32 pairs), ``saved_mib`` and ``x <baseline>`` for
    each baseline measured. Above N = 1e5 a third of ``reps`` (at least 5): a call takes
    long there and varies less."""
    rows = []
    for n in sizes:
        pred, target = (x.to(device) for x in sample_box_pairs(n, seed=0, **PIXEL_BOXES))
        n_reps = reps if n <= 10**5 else max(5, reps // 3)
        for name, loss_fn in losses.items():
            step = functools.partial(forward_backward, loss_fn, pred, target)
            rows.append(dict(n=n, loss=name, reps=n_reps,
                             ms=median_ms(step, device, warmup, n_reps),
                             saved_mib=saved_mib(loss_fn, pred, target)))
        at_n = {row['loss']: row['ms'] for row in rows if row['n'] == n}
        for row in rows[-len(losses):]:
            row.update({f'x {base}': row['ms'] / at_n[base] for base in BASELINES if base in at_n})
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
