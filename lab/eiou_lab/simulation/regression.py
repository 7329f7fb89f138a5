"""Localisation-only simulation of box losses: the DIoU paper's 1 715 000 regression cases.

The DIoU paper (Zheng et al., AAAI 2020; Zzh-tju/DIoU ``test_1715k.m``) judges a box loss
without a detector: a box is moved by plain gradient descent on the loss alone and its IoU
with a fixed target is watched. This module reproduces that set-up for every loss a user of
mmdet would pick, so that the claims of Peng & Yu (TIP 2021) can be seen in isolation:

* EIoU (Eq. 10-22) keeps a gradient when the boxes are disjoint, where IoU has none;
* CT, ``(1 - EIoU)^p`` with ``p = 2`` (Eq. 23), has a zero gradient at the optimum, so it
  settles where ``p = 1`` keeps stepping over the optimum (Fig. 4c);
* SOT (Eq. 28, Theorem 1) multiplies each box's gradient by its extended union, which makes
  the descent independent of the size of the boxes (Fig. 5a).

The cases (:func:`make_cases`): 7 targets of area 1 centred at (10, 10) with aspect ratios
(w:h) 1:4 ... 4:1; 5 000 anchor centres uniform in the disc of radius 3 around (10, 10); at each
centre 7 anchor areas (0.5x ... 2x the target's) times the same 7 aspect ratios: 5 000 x 7 x 7
x 7 = 1 715 000 (anchor, target) pairs, ordered centre-major (``case = centre * 343 + ...``).

The optimiser (:func:`run_loss`, steps of :func:`.descent.descent_step`): the four corners of
every box are one leaf tensor, the per-box losses are summed (each box's loss depends only on
its own corners, so the gradient of the sum is every box's own exact gradient) and autograd
gives the step. DIoU's schedule:
``lr`` until 80 % of the iterations, ``lr / 10`` until 90 %, ``lr / 100`` after. Two things of
``test_1715k.m`` are deliberately different: its update is multiplied by ``(2 - IoU)``
(available here as ``iou_weighting=True``, off by default), and its hand-written MATLAB
gradients for width and height are twice the chain rule's; here every loss gets its exact
gradient, and boxes are moved by their corners, not ``(x, y, w, h)``.

Everything is vectorised over chunks of cases (float32) so that the full set runs on a
laptop CPU; ``tools/simulate_regression.py`` is the command line.
"""
import json
import math
import os
import os.path as osp
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import torch
from torch import Tensor

from mmdet_eiou.ops import box_iou
from .descent import SOT_MAX, BoxLoss, descent_step, eiou_box_loss  # noqa: F401 (SOT_MAX)

# ----------------------------------------------------------------------------- the cases
CENTRE = (10.0, 10.0)  # the targets' centre
RADIUS = 3.0  # anchor centres are uniform in the disc of this radius around CENTRE
TARGET_AREA = 1.0
#: width : height of targets and anchors, as in test_1715k.m (1:4, 1:3, 1:2, 1:1, 2:1, 3:1, 4:1)
ASPECT_RATIOS = (1 / 4, 1 / 3, 1 / 2, 1.0, 2.0, 3.0, 4.0)
#: anchor area / target area, exactly test_1715k.m's list
ANCHOR_SCALES = (0.5, 0.67, 0.75, 1.0, 1.33, 1.5, 2.0)
CASES_PER_CENTRE = len(ASPECT_RATIOS) * len(ANCHOR_SCALES) * len(ASPECT_RATIOS)  # 343
#: IoU levels of the ``frac_iou_ge_*`` metrics
IOU_LEVELS = (0.5, 0.75, 0.9, 0.95)
#: mean IoU that ``iters_to_0.9`` waits for
CONVERGED_IOU = 0.9


@dataclass
class Cases:
    """Aligned ``(N, 4)`` float32 ``(x1, y1, x2, y2)`` anchors and targets, plus bookkeeping.

    ``centres`` are the ``(C, 2)`` anchor centres (before scaling), ``scale`` the factor every
    coordinate was multiplied by, ``start_iou`` the anchors' IoU with their targets and
    ``disjoint`` the cases that start without overlap (IoU 0).
    """
    anchors: Tensor
    targets: Tensor
    centres: Tensor
    scale: float
    start_iou: Tensor = field(init=False)
    disjoint: Tensor = field(init=False)

    def __post_init__(self):
        self.start_iou = box_iou(self.anchors, self.targets, is_aligned=True)
        self.disjoint = self.start_iou <= 0

    def __len__(self) -> int:
        return self.anchors.shape[0]


def _sizes(areas: Tensor, ratios: Tensor) -> Tuple[Tensor, Tensor]:
    """Widths and heights of boxes with the given areas and width:height ratios."""
    return (areas * ratios).sqrt(), (areas / ratios).sqrt()


def _xyxy(cx: Tensor, cy: Tensor, w: Tensor, h: Tensor) -> Tensor:
    return torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dim=-1)


def sample_centres(num_centres: int, seed: int) -> Tensor:
    """``(C, 2)`` anchor centres uniform in the disc of :data:`RADIUS` around :data:`CENTRE`
    (``r = R sqrt(u)``, as test_1715k.m), float64, from their own seeded generator.

    Each centre takes two consecutive draws (radius, angle), so the first ``k`` centres of a
    run do not depend on ``num_centres``."""
    gen = torch.Generator().manual_seed(seed)
    u = torch.rand(num_centres, 2, generator=gen, dtype=torch.float64)
    radius, angle = RADIUS * u[:, 0].sqrt(), 2 * math.pi * u[:, 1]
    return torch.stack([CENTRE[0] + radius * angle.cos(), CENTRE[1] + radius * angle.sin()], 1)


def make_cases(num_centres: int = 5000, seed: int = 0, scale: float = 1.0) -> Cases:
    """The DIoU simulation's cases: ``num_centres * 343`` (anchor, target) pairs.

    Index order is (centre, target ratio, anchor area, anchor ratio), centre-major, so the
    first ``k * 343`` cases of a run are the run with ``k`` centres. The geometry is built in
    float64, rounded to float32 once and only then multiplied by ``scale``: for a power of two
    (0.25, 4) the scaled boxes are then exactly the unscaled ones times ``scale``.
    """
    if num_centres < 1:
        raise ValueError(f'num_centres must be >= 1, got {num_centres}')
    if not scale > 0:
        raise ValueError(f'scale must be > 0, got {scale}')
    f64 = dict(dtype=torch.float64)
    centres = sample_centres(num_centres, seed)
    ratios = torch.tensor(ASPECT_RATIOS, **f64)
    areas = TARGET_AREA * torch.tensor(ANCHOR_SCALES, **f64)
    n_r, n_s = len(ASPECT_RATIOS), len(ANCHOR_SCALES)
    shape = (num_centres, n_r, n_s, n_r)
    # targets: one per target ratio (axis 1), the same for every centre, area and anchor ratio
    tw, th = _sizes(torch.full((n_r, ), TARGET_AREA, **f64), ratios)
    targets = _xyxy(torch.tensor(CENTRE[0], **f64), torch.tensor(CENTRE[1], **f64), tw, th)
    targets = targets.view(1, n_r, 1, 1, 4).expand(*shape, 4)
    # anchors: centre (axis 0), area (axis 2) and ratio (axis 3); the target ratio only repeats
    aw, ah = _sizes(areas.view(n_s, 1), ratios.view(1, n_r))
    cx, cy = centres[:, 0].view(-1, 1, 1, 1), centres[:, 1].view(-1, 1, 1, 1)
    anchors = _xyxy(cx, cy, aw.view(1, 1, n_s, n_r), ah.view(1, 1, n_s, n_r)).expand(*shape, 4)
    anchors = anchors.reshape(-1, 4).float() * scale
    targets = targets.reshape(-1, 4).float() * scale
    return Cases(anchors.contiguous(), targets.contiguous(), centres, float(scale))


# ----------------------------------------------------------------------------- the losses
class OursLoss:
    """Callable per-box loss for :func:`eiou_box_loss` that remembers the largest SOT factor
    it applied (the evidence that :data:`SOT_MAX` never bound).

    ``symmetric``: the flip-invariant EIoU (the mean of Eq. 16 over the four corner origins,
    :mod:`mmdet_eiou.ops.symmetric_eiou`) instead of the paper's; on overlapping starts both
    forms coincide (``tests/test_simulation.py``).
    """

    def __init__(self, power: float, sot: bool, symmetric: bool = False):
        self.power, self.sot, self.symmetric = power, sot, symmetric
        self.max_sot_factor = 0.0

    def __call__(self, pred: Tensor, target: Tensor) -> Tensor:
        loss, _, factor = eiou_box_loss(pred, target, self.power, self.sot, self.symmetric)
        if self.sot:
            self.max_sot_factor = max(self.max_sot_factor, float(factor.max()))
        return loss


def _mmdet_loss(class_name: str, **kwargs) -> BoxLoss:
    """An mmdet loss module with ``reduction='none'``, summed to one value per box."""
    from mmdet.models import losses
    module = getattr(losses, class_name)(reduction='none', **kwargs)

    def per_box(pred: Tensor, target: Tensor) -> Tensor:
        loss = module(pred, target)
        return loss.sum(-1) if loss.dim() == 2 else loss  # Smooth-L1 is per coordinate

    return per_box


@dataclass(frozen=True)
class LossSpec:
    """A loss of the benchmark: a short ``label`` for tables and a ``build`` that returns a
    fresh :data:`BoxLoss` (per-box values; the optimiser differentiates their sum)."""
    label: str
    build: Callable[[], BoxLoss]


#: Every loss of the benchmark, in table order. mmdet's classes where mmdet has the loss.
LOSSES: Dict[str, LossSpec] = {
    'smooth_l1': LossSpec('Smooth-L1 (corners, beta 1)',
                          lambda: _mmdet_loss('SmoothL1Loss', beta=1.0)),
    'iou': LossSpec('IoU linear', lambda: _mmdet_loss('IoULoss', mode='linear')),
    'iou_log': LossSpec('IoU log', lambda: _mmdet_loss('IoULoss', mode='log')),
    'giou': LossSpec('GIoU', lambda: _mmdet_loss('GIoULoss')),
    'diou': LossSpec('DIoU', lambda: _mmdet_loss('DIoULoss')),
    'ciou': LossSpec('CIoU', lambda: _mmdet_loss('CIoULoss')),
    'mmdet_eiou': LossSpec("mmdet's EIoULoss (Huber)", lambda: _mmdet_loss('EIoULoss')),
    'eiou_p1': LossSpec('ours EIoU p=1', lambda: OursLoss(1.0, sot=False)),
    'eiou_p2': LossSpec('ours CT p=2', lambda: OursLoss(2.0, sot=False)),
    'eiou_p2_sot': LossSpec('ours CT p=2 + SOT', lambda: OursLoss(2.0, sot=True)),
    # the flip-invariant EIoU (mean of Eq. 16 over the four corners), not the paper's
    'eiou_p1_symmetric': LossSpec('ours EIoU p=1, symmetric',
                                  lambda: OursLoss(1.0, sot=False, symmetric=True)),
    'eiou_p2_sot_symmetric': LossSpec('ours CT p=2 + SOT, symmetric',
                                      lambda: OursLoss(2.0, sot=True, symmetric=True)),
}


# ----------------------------------------------------------------------------- the optimiser
@dataclass(frozen=True)
class Schedule:
    """Gradient-descent settings. ``lr`` until ``milestones[0] * iters``, then times ``gamma``
    at every milestone (DIoU: 0.1 to iteration 160 of 200, 0.01 to 180, 0.001 after)."""
    iters: int = 200
    lr: float = 0.1
    milestones: Tuple[float, ...] = (0.8, 0.9)
    gamma: float = 0.1
    iou_weighting: bool = False  # test_1715k.m's (2 - IoU) factor on every update

    def lrs(self) -> List[float]:
        """The learning rate of every iteration."""
        steps = [round(m * self.iters) for m in self.milestones]
        return [self.lr * self.gamma ** sum(k >= s for s in steps) for k in range(self.iters)]


@dataclass
class LossRun:
    """What one loss did on one set of cases.

    ``curve[k]`` is the mean IoU after ``k`` updates (``curve[0]``: the anchors), likewise
    ``curve_disjoint`` over the cases that started disjoint; ``jitter[k]`` the mean
    ``|IoU_k - IoU_{k-1}|`` (how much the boxes still move, which for a loss whose gradient
    does not vanish at the optimum stays large until the learning rate drops); ``drops[k]``
    the fraction of cases whose IoU fell at iteration ``k`` (a box that converges smoothly
    never gets worse; one that oscillates around the optimum does every other step); ``final_iou``
    per case; ``stalled`` marks cases whose update was ever non-finite (that update is skipped,
    the box stays where it was).
    """
    curve: Tensor
    curve_disjoint: Tensor
    jitter: Tensor
    drops: Tensor
    final_iou: Tensor
    stalled: Tensor
    wall_s: float
    max_sot_factor: Optional[float] = None


def _descend(loss_fn: BoxLoss, boxes: Tensor, targets: Tensor, lrs: Sequence[float],
             iou_weighting: bool, disjoint: Tensor):
    """Gradient descent of one chunk; returns sums (not means) so chunks can be added."""
    # sums in float64, so that they hardly depend on how the cases are chunked
    iou = box_iou(boxes, targets, is_aligned=True)
    weight_d = disjoint.double()  # a dot product is cheaper than boolean indexing
    curve = torch.zeros(len(lrs) + 1, dtype=torch.float64)
    curve_d, jitter, drops = (torch.zeros_like(curve) for _ in range(3))
    curve[0], curve_d[0] = iou.sum(dtype=torch.float64), torch.dot(iou.double(), weight_d)
    stalled = torch.zeros(len(boxes), dtype=torch.bool)
    for k, lr in enumerate(lrs, start=1):
        new = descent_step(loss_fn, boxes, targets, lr,
                           (2 - iou).unsqueeze(1) if iou_weighting else None)
        bad = ~torch.isfinite(new).all(1)
        if bool(bad.any()):  # a diverged update would poison the box; skip it and count it
            new = torch.where(bad.unsqueeze(1), boxes, new)
            stalled |= bad
        boxes = new
        new_iou = box_iou(boxes, targets, is_aligned=True)
        iou64 = new_iou.double()
        curve[k], curve_d[k] = iou64.sum(), torch.dot(iou64, weight_d)
        jitter[k] = (new_iou - iou).abs().sum(dtype=torch.float64)
        drops[k] = (new_iou < iou - 1e-6).sum()  # steps that made the box worse
        iou = new_iou
    return curve, curve_d, jitter, drops, iou, stalled


def run_loss(name: str, cases: Cases, schedule: Schedule = Schedule(),
             chunk_size: int = 131072, progress: Optional[Callable[[int], None]] = None
             ) -> LossRun:
    """Optimise every case of ``cases`` with the loss ``name`` of :data:`LOSSES`.

    Chunks of ``chunk_size`` cases are optimised one after the other (memory stays flat and
    the working set fits the caches); ``progress(n)`` is called after each chunk with its
    number of cases.
    """
    loss_fn = LOSSES[name].build()
    lrs = schedule.lrs()
    n = len(cases)
    curve = torch.zeros(len(lrs) + 1, dtype=torch.float64)
    curve_d, jitter, drops = (torch.zeros_like(curve) for _ in range(3))
    final_iou = torch.empty(n)
    stalled = torch.empty(n, dtype=torch.bool)
    start = time.perf_counter()
    for lo in range(0, n, chunk_size):
        hi = min(n, lo + chunk_size)
        c, cd, j, dr, iou, st = _descend(loss_fn, cases.anchors[lo:hi], cases.targets[lo:hi], lrs,
                                     schedule.iou_weighting, cases.disjoint[lo:hi])
        curve += c
        curve_d += cd
        jitter += j
        drops += dr
        final_iou[lo:hi], stalled[lo:hi] = iou, st
        if progress is not None:
            progress(hi - lo)
    num_disjoint = max(int(cases.disjoint.sum()), 1)
    return LossRun(curve=curve / n, curve_disjoint=curve_d / num_disjoint, jitter=jitter / n,
                   drops=drops / n, final_iou=final_iou, stalled=stalled,
                   wall_s=time.perf_counter() - start,
                   max_sot_factor=getattr(loss_fn, 'max_sot_factor', None) or None)


# ----------------------------------------------------------------------------- the metrics
def iters_to(curve: Sequence[float], level: float) -> Optional[int]:
    """First iteration at which the mean IoU reaches ``level`` (``None``: never)."""
    return next((k for k, v in enumerate(curve) if v >= level), None)


def _fractions(iou: Tensor, suffix: str = '') -> Dict[str, float]:
    if iou.numel() == 0:
        return {f'frac_iou_ge_{t}{suffix}': None for t in IOU_LEVELS}
    return {f'frac_iou_ge_{t}{suffix}': float((iou >= t).double().mean()) for t in IOU_LEVELS}


def summarise(run: LossRun, cases: Cases, schedule: Schedule = Schedule()) -> Dict:
    """The per-loss metrics of ``results.json`` (curves rounded to 5 decimals).

    ``mean_iou_before_first_drop`` is the mean IoU at the first learning-rate milestone and
    ``jitter_before_first_drop`` the mean per-iteration ``|dIoU|`` and
    ``frac_iou_drops_before_first_drop`` the mean fraction of cases whose IoU fell, over the
    10 iterations before it: a loss that oscillates around the optimum (Fig. 4c) has many
    drops there and gains a lot once the learning rate drops (``gain_after_first_drop``).
    """
    disjoint = cases.disjoint
    curve = [round(float(v), 5) for v in run.curve]
    first_drop = min(len(run.curve) - 1, round(schedule.milestones[0] * schedule.iters)
                     if schedule.milestones else schedule.iters)
    lo = max(1, first_drop - 9)  # the last 10 iterations at the initial learning rate
    window, drops = run.jitter[lo:first_drop + 1], run.drops[lo:first_drop + 1]
    out = {
        'final_mean_iou': float(run.final_iou.double().mean()),
        'final_mean_iou_disjoint_start':
        float(run.final_iou[disjoint].double().mean()) if bool(disjoint.any()) else None,
        **_fractions(run.final_iou),
        **_fractions(run.final_iou[disjoint], '_disjoint_start'),
        'iters_to_0.9': iters_to(curve, CONVERGED_IOU),
        'iters_to_0.9_disjoint_start': iters_to(run.curve_disjoint.tolist(), CONVERGED_IOU),
        'start_mean_iou': curve[0],
        'mean_iou_before_first_drop': curve[first_drop],
        'jitter_before_first_drop': float(window.mean()) if window.numel() else 0.0,
        'frac_iou_drops_before_first_drop': float(drops.mean()) if drops.numel() else 0.0,
        'gain_after_first_drop': float(run.final_iou.double().mean()) - curve[first_drop],
        'frac_stalled': float(run.stalled.double().mean()),
        'num_cases': len(cases),
        'num_disjoint_start': int(disjoint.sum()),
        'wall_s': round(run.wall_s, 2),
        'curve': curve,
        'curve_disjoint_start': [round(float(v), 5) for v in run.curve_disjoint],
    }
    if run.max_sot_factor is not None:
        out['max_sot_factor'] = run.max_sot_factor
    return out


def per_centre_error(run: LossRun, cases: Cases) -> Tensor:
    """Mean final ``1 - IoU`` over the 343 cases of each anchor centre: ``(C,)``, the
    DIoU paper's error map over anchor positions."""
    return (1 - run.final_iou).view(len(cases.centres), CASES_PER_CENTRE).mean(1)


def add_scale_table(summaries: Dict[str, Dict], by_scale: Dict[float, Dict[str, Dict]]
                    ) -> None:
    """Add, per loss, the final mean IoU (all and disjoint start) and ``iters_to_0.9`` at every
    scale, and ``scale_spread``: the largest difference of final mean IoU across scales."""
    for name, summary in summaries.items():
        finals = {s: by_scale[s][name]['final_mean_iou'] for s in sorted(by_scale)}
        summary['final_mean_iou_by_scale'] = {_fmt_scale(s): v for s, v in finals.items()}
        summary['final_mean_iou_disjoint_start_by_scale'] = {
            _fmt_scale(s): by_scale[s][name]['final_mean_iou_disjoint_start']
            for s in sorted(by_scale)}
        summary['iters_to_0.9_by_scale'] = {
            _fmt_scale(s): by_scale[s][name]['iters_to_0.9'] for s in sorted(by_scale)}
        summary['scale_spread'] = max(finals.values()) - min(finals.values())


def _fmt_scale(scale: float) -> str:
    return f'{scale:g}'


# ----------------------------------------------------------------------------- the outputs
def _pct(value: Optional[float]) -> str:
    return 'n/a' if value is None else f'{100 * value:.2f}'


def results_markdown(summaries: Dict[str, Dict]) -> str:
    """Markdown tables: the main metrics, and the scale table when there is one."""
    first = next(iter(summaries.values()))
    lines = [
        f'{first["num_cases"]} cases, {first["num_disjoint_start"]} of them start disjoint '
        f'(IoU 0); start mean IoU {first["start_mean_iou"]:.4f}. IoU values in %.', '',
        '| loss | final mean IoU | disjoint start | IoU>=0.5 | >=0.75 | >=0.9 | >=0.95 '
        '| disj. >=0.5 | disj. >=0.9 | iters to 0.9 | IoU at 1st lr drop | gain after it '
        '| IoU falls/iter before it | stalled | s |',
        '|---|' + '---:|' * 14]
    for name, s in summaries.items():
        lines.append(
            f'| {LOSSES[name].label if name in LOSSES else name} '
            f'| {_pct(s["final_mean_iou"])} | {_pct(s["final_mean_iou_disjoint_start"])} '
            + ''.join(f'| {_pct(s[f"frac_iou_ge_{t}"])} ' for t in IOU_LEVELS)
            + f'| {_pct(s["frac_iou_ge_0.5_disjoint_start"])} '
            f'| {_pct(s["frac_iou_ge_0.9_disjoint_start"])} '
            f'| {s["iters_to_0.9"] if s["iters_to_0.9"] is not None else "never"} '
            f'| {_pct(s["mean_iou_before_first_drop"])} | {_pct(s["gain_after_first_drop"])} '
            f'| {_pct(s["frac_iou_drops_before_first_drop"])} | {_pct(s["frac_stalled"])} '
            f'| {s["wall_s"]:.0f} |')
    if 'final_mean_iou_by_scale' in first:
        scales = list(first['final_mean_iou_by_scale'])
        lines += ['', 'Final mean IoU (%) with every coordinate multiplied by the scale '
                  '(learning rate unchanged); spread = largest difference across scales.', '',
                  '| loss | ' + ' | '.join(f'x{s}' for s in scales) + ' | spread '
                  '| ' + ' | '.join(f'iters to 0.9 x{s}' for s in scales) + ' |',
                  '|---|' + '---:|' * (2 * len(scales) + 1)]
        for name, s in summaries.items():
            its = s['iters_to_0.9_by_scale']
            lines.append(
                f'| {LOSSES[name].label if name in LOSSES else name} | '
                + ' | '.join(_pct(s['final_mean_iou_by_scale'][k]) for k in scales)
                + f' | {_pct(s["scale_spread"])} | '
                + ' | '.join(str(its[k]) if its[k] is not None else 'never' for k in scales)
                + ' |')
    return '\n'.join(lines) + '\n'


def write_results(out_dir: str, summaries: Dict[str, Dict], meta: Dict) -> None:
    """``results.json`` (per loss name), ``results.md`` and ``run.json`` (settings, times)."""
    os.makedirs(out_dir, exist_ok=True)
    with open(osp.join(out_dir, 'results.json'), 'w') as f:
        json.dump(summaries, f, indent=1)
    with open(osp.join(out_dir, 'results.md'), 'w') as f:
        f.write(results_markdown(summaries))
    with open(osp.join(out_dir, 'run.json'), 'w') as f:
        json.dump(meta, f, indent=1)


def _pyplot():
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def plot_curves(summaries: Dict[str, Dict], path: str) -> None:
    """Mean IoU per iteration per loss: all cases (left), cases that start disjoint (right)."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    for name, s in summaries.items():
        label = LOSSES[name].label if name in LOSSES else name
        style = (':' if name.endswith('symmetric') else '-') if name.startswith('eiou') else '--'
        axes[0].plot(s['curve'], style, label=label, lw=1.3)
        axes[1].plot(s['curve_disjoint_start'], style, label=label, lw=1.3)
    for ax, title in zip(axes, ('all cases', 'cases that start disjoint')):
        ax.set_title(f'mean IoU, {title}')
        ax.set_xlabel('iteration')
        ax.axhline(CONVERGED_IOU, color='grey', lw=0.6, ls=':')
        ax.grid(alpha=0.3)
    axes[0].set_ylabel('mean IoU')
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc='lower center', ncol=5, fontsize=7, frameon=False)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_error_maps(errors: Dict[str, Tensor], centres: Tensor, path: str) -> None:
    """DIoU-style map: every anchor centre coloured by its mean final ``1 - IoU``."""
    plt = _pyplot()
    cols = 5
    rows = math.ceil(len(errors) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(2.6 * cols, 2.6 * rows + 0.4), squeeze=False)
    xy = centres.numpy()
    image = None
    for ax, (name, err) in zip(axes.flat, errors.items()):
        image = ax.scatter(xy[:, 0], xy[:, 1], c=err.numpy(), s=1.5, vmin=0, vmax=1,
                           cmap='viridis', rasterized=True)
        ax.plot(*CENTRE, 'r+', ms=6)  # the targets' centre
        label = LOSSES[name].label if name in LOSSES else name
        ax.set_title(label.replace(', symmetric', ',\nsymmetric'), fontsize=8)  # fits a panel
        ax.set_aspect('equal')
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in list(axes.flat)[len(errors):]:
        ax.axis('off')
    if image is not None:
        fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8, label='mean final 1 - IoU')
    fig.suptitle('final error over anchor centres (disc of radius 3 around the targets)',
                 fontsize=9)
    fig.savefig(path, dpi=80)
    plt.close(fig)


def plot_scales(summaries: Dict[str, Dict], path: str) -> None:
    """Final mean IoU against the scale of every coordinate, per loss (Fig. 5a's question)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for name, s in summaries.items():
        by_scale = s.get('final_mean_iou_by_scale')
        if not by_scale:
            continue
        xs = [float(k) for k in by_scale]
        style = ((':o' if name.endswith('symmetric') else '-o') if name.startswith('eiou')
                 else '--.')
        ax.plot(xs, list(by_scale.values()), style,
                label=LOSSES[name].label if name in LOSSES else name)
    ax.set_xscale('log', base=2)
    ax.set_xlabel('scale of every coordinate (learning rate unchanged)')
    ax.set_ylabel('final mean IoU')
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
