"""The toy experiments of Peng & Yu (TIP 2021), Fig. 3, 4 and 5, computed with our loss.

Fig. 3: SIoU (Eq. 1-9), GIoU (Algorithm 1) and EIoU (Eq. 10-22) of the paper's two box pairs.
Fig. 4: the value surfaces of -EIoU and of Smooth-EIoU (CT, Eq. 23), and gradient descent on
each. Fig. 5: gradient descent on Smooth-EIoU with and without SOT (Eq. 28) across box scales.
What each figure shows, the settings and why they were chosen: docs/paper_figures.md.
``tools/paper_figures.py`` is the command line (:func:`main`); tests/test_paper_figures.py
asserts the claims of the figures on the numbers returned here.

Needs torch and matplotlib only (no mmdet). Plots are drawn on ``matplotlib.figure.Figure``
objects, not through pyplot, so importing this module never changes the caller's backend.
"""
import argparse
import os
import os.path as osp
from dataclasses import dataclass
from typing import Dict, Optional, Sequence, Tuple

import torch
from matplotlib import patches
from matplotlib.figure import Figure
from torch import Tensor

from mmdet_eiou.ops import box_area, box_intersection_union, compile_mode, extended_iou
from eiou_lab.simulation.descent import descent_step, eiou_box_loss

DTYPE = torch.float64

FIG3_BOX_A = (0.0, 0.0, 1.0, 1.0)
FIG3_BOX_OVERLAPPING = (0.5, 0.5, 1.5, 1.5)
FIG3_BOX_TOUCHING = (1.0, 0.0, 2.0, 1.0)

FIG4_TARGET = (0.0, 0.0, 1.0, 1.0)
FIG4_START = (0.0, 0.0, 0.5, 0.5)
FIG4_FREE_COORDS = (2, 3)  # only x2 and y2 move: the prediction is (0, 0, x, y)
FIG4_LR = 0.1
FIG4_ITERS = 150

FIG5_LR = 0.1
FIG5_ITERS = 100
FIG5A_SCALES = (1.0, 2.0, 4.0)  # target (0, 0, s, s), start (0, 0, s/2, s/2)
FIG5B_START_SIZES = (0.5, 2.0, 4.0)  # target (0, 0, 1, 1), start (0, 0, size, size)
ALL_COORDS = (0, 1, 2, 3)

SOT_MODES = ('sot', 'no_sot')
OUTPUT_FILES = {
    'fig3': 'fig3_giou_counterexample.png',
    'fig4': 'fig4_ct_convergence.png',
    'fig5': 'fig5_sot_convergence.png',
}


@dataclass
class Trajectory:
    """One gradient-descent run; index k of each per-iteration tensor is iteration k (0 = start).

    Attributes:
        eiou: EIoU (Eq. 22) of the prediction, ``(iters + 1,)``.
        loss: the optimised objective's value, ``(iters + 1,)``.
        boxes: the prediction, ``(iters + 1, 4)``.
    """
    eiou: Tensor
    loss: Tensor
    boxes: Tensor

    @property
    def final_eiou(self) -> float:
        return float(self.eiou[-1])

    def first_iteration_reaching(self, eiou_level: float) -> Optional[int]:
        """The first iteration whose EIoU is at least ``eiou_level``, or ``None``."""
        reached = (self.eiou >= eiou_level).nonzero()
        return int(reached[0]) if len(reached) else None


def gradient_descent(start: Sequence[float],
                     target: Sequence[float],
                     *,
                     power: float,
                     use_sot: bool,
                     lr: float,
                     iters: int,
                     free_coords: Sequence[int] = ALL_COORDS) -> Trajectory:
    """Plain gradient descent of one predicted box on ``(1 - EIoU) ** power`` (Eq. 23).

    ``box <- box - lr * g * dL/dbox`` on the coordinates in ``free_coords``, where ``g`` is the
    SOT factor of Eq. 28 with SOT (the extended union U_e of Eq. 21 in the box's own units)
    and 1 without: the simulation's step and loss (:func:`~eiou_lab.simulation.descent_step`,
    :func:`~eiou_lab.simulation.eiou_box_loss`, whose ``M`` never binds here). ``loss`` in the
    result is ``(1 - EIoU) ** power``.
    """
    target_box = torch.tensor([target], dtype=DTYPE)
    free = torch.zeros(4, dtype=DTYPE)
    free[list(free_coords)] = 1.0
    boxes = [torch.tensor([start], dtype=DTYPE)]

    def loss_fn(pred: Tensor, goal: Tensor) -> Tensor:
        return eiou_box_loss(pred, goal, power, use_sot)[0]

    # Eager kernels: one box per step, so compiling would cost far more than it saves.
    with compile_mode(False):
        for _ in range(iters):
            boxes.append(descent_step(loss_fn, boxes[-1], target_box, lr, free))
        boxes = torch.cat(boxes)
        loss, eiou, _ = eiou_box_loss(boxes, target_box.expand_as(boxes), power, use_sot)
    return Trajectory(eiou=eiou, loss=loss.detach(), boxes=boxes)


# ------------------------------------------------------------------------------------ Fig. 3
def standard_iou_and_giou(box_a: Sequence[float], box_b: Sequence[float]) -> Tuple[float, float]:
    """SIoU (Eq. 1-9) and GIoU (Algorithm 1) of two boxes, in float64.

    From :func:`mmdet_eiou.ops.box_intersection_union`, which shares no code with the EIoU
    kernels, so that Fig. 3 compares EIoU with the standard measures rather than with itself.
    The overlap of Eq. 5 is 0 for disjoint boxes (``A ∩ B`` is empty there).
    """
    a, b = (torch.tensor([[float(c) for c in box]], dtype=DTYPE) for box in (box_a, box_b))
    inter, union = box_intersection_union(a, b, is_aligned=True)  # Eq. 1-8
    siou = inter / union  # Eq. 9
    enclosing = box_area(torch.cat([torch.minimum(a[:, :2], b[:, :2]),
                                    torch.maximum(a[:, 2:], b[:, 2:])], 1))  # C
    return float(siou), float(siou - (enclosing - union) / enclosing)  # Algorithm 1, step 3


def fig3_values() -> Dict[str, Dict[str, float]]:
    """SIoU, GIoU (:func:`standard_iou_and_giou`) and EIoU (Eq. 22) of A against the
    overlapping and the touching box: ``{'overlapping': {'iou', 'giou', 'eiou'},
    'touching': {...}}``."""
    values = {}
    box_a = torch.tensor([FIG3_BOX_A], dtype=DTYPE)
    for name, other in (('overlapping', FIG3_BOX_OVERLAPPING), ('touching', FIG3_BOX_TOUCHING)):
        iou, giou = standard_iou_and_giou(FIG3_BOX_A, other)
        values[name] = {
            'iou': iou,
            'giou': giou,
            'eiou': float(extended_iou(box_a, torch.tensor([other], dtype=DTYPE))[0]),
        }
    return values


def plot_fig3(values: Dict[str, Dict[str, float]], path: str) -> None:
    """Draw Fig. 3 (the two box pairs, their enclosing box C and their measures) to ``path``."""
    fig = Figure(figsize=(8, 4))
    axes = fig.subplots(1, 2)
    panels = (('(a) overlapping', FIG3_BOX_OVERLAPPING, values['overlapping']),
              ('(b) touching', FIG3_BOX_TOUCHING, values['touching']))
    for ax, (title, other, numbers) in zip(axes, panels):
        enclosing = (min(FIG3_BOX_A[0], other[0]), min(FIG3_BOX_A[1], other[1]),
                     max(FIG3_BOX_A[2], other[2]), max(FIG3_BOX_A[3], other[3]))
        for box, style in ((enclosing, dict(edgecolor='gray', linestyle='--', label='C')),
                           (FIG3_BOX_A, dict(edgecolor='tab:blue', facecolor='tab:blue',
                                             alpha=0.35, label='A')),
                           (other, dict(edgecolor='tab:orange', facecolor='tab:orange',
                                        alpha=0.35, label='B'))):
            style.setdefault('facecolor', 'none')
            ax.add_patch(patches.Rectangle(box[:2], box[2] - box[0], box[3] - box[1],
                                           linewidth=2, **style))
        ax.set_xlim(-0.2, 2.2)
        ax.set_ylim(-0.9, 1.7)
        ax.set_aspect('equal')
        ax.legend(loc='upper right', fontsize=8)
        ax.set_title(title)
        ax.text(0.0, -0.75, f"IoU = {numbers['iou']:.4f}\nGIoU = {numbers['giou']:.4f}\n"
                f"EIoU = {numbers['eiou']:.4f}", fontsize=9, family='monospace')
    fig.suptitle('Fig. 3: GIoU ranks the overlapping pair below the touching one; EIoU does not')
    fig.tight_layout()
    fig.savefig(path, dpi=100)


# ------------------------------------------------------------------------------------ Fig. 4
def fig4_trajectories(lr: float = FIG4_LR, iters: int = FIG4_ITERS) -> Dict[str, Trajectory]:
    """Fig. 4(c): ``{'neg_eiou': ..., 'smooth_eiou': ...}``, both with SOT, only x2, y2 free.

    ``neg_eiou.loss`` is -EIoU, i.e. ``eiou_loss(power=1) - 1`` (the same gradient as 1 - EIoU);
    ``smooth_eiou.loss`` is (1 - EIoU)^2 (Eq. 23).
    """
    common = dict(target=FIG4_TARGET, use_sot=True, lr=lr, iters=iters,
                  free_coords=FIG4_FREE_COORDS)
    neg_eiou = gradient_descent(FIG4_START, power=1.0, **common)
    neg_eiou.loss = neg_eiou.loss - 1.0
    smooth_eiou = gradient_descent(FIG4_START, power=2.0, **common)
    return {'neg_eiou': neg_eiou, 'smooth_eiou': smooth_eiou}


def fig4_surfaces(grid_size: int = 81,
                  extent: float = 2.0) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
    """Fig. 4(a, b): -EIoU (Eq. 22) and Smooth-EIoU (Eq. 23) of (0, 0, x, y) against
    (0, 0, 1, 1) on a grid of ``x, y`` in ``(0, extent]``; returns
    ``(xs, ys, neg_eiou, smooth_eiou)``, surfaces indexed ``[y, x]``."""
    axis = torch.linspace(extent / grid_size, extent, grid_size, dtype=DTYPE)
    ys, xs = torch.meshgrid(axis, axis, indexing='ij')
    zeros = torch.zeros_like(xs)
    preds = torch.stack([zeros, zeros, xs, ys], dim=-1).reshape(-1, 4)
    targets = torch.tensor([FIG4_TARGET], dtype=DTYPE).expand_as(preds)
    eiou = extended_iou(preds, targets).reshape(xs.shape)
    return xs, ys, -eiou, (1 - eiou) ** 2


def plot_fig4(trajectories: Dict[str, Trajectory], path: str) -> None:
    """Draw Fig. 4 (surfaces (a), (b) with the descent paths, curves (c)) to ``path``."""
    xs, ys, neg_eiou_surface, smooth_surface = fig4_surfaces()
    fig = Figure(figsize=(15, 4.2))
    axes = fig.subplots(1, 3)
    for ax, surface, title in ((axes[0], neg_eiou_surface, '(a) -EIoU'),
                               (axes[1], smooth_surface, '(b) Smooth-EIoU = (1 - EIoU)$^2$')):
        contour = ax.contourf(xs.numpy(), ys.numpy(), surface.numpy(), levels=30, cmap='viridis')
        fig.colorbar(contour, ax=ax)
        ax.plot([1.0], [1.0], 'r*', markersize=12, label='optimum (1, 1)')
        ax.set_xlabel('x')
        ax.set_ylabel('y')
        ax.set_title(title + ' of (0, 0, x, y) vs (0, 0, 1, 1)', fontsize=10)
        ax.legend(loc='lower left', fontsize=8)
    for name, trajectory in trajectories.items():
        boxes = trajectory.boxes.numpy()
        axes[0 if name == 'neg_eiou' else 1].plot(boxes[:, 2], boxes[:, 3], 'w.-', linewidth=0.8,
                                                  markersize=3)
    ax = axes[2]
    iterations = range(len(trajectories['neg_eiou'].loss))
    ax.plot(iterations, trajectories['neg_eiou'].loss.numpy(), label='-EIoU (loss)')
    ax.plot(iterations, trajectories['smooth_eiou'].loss.numpy(), label='Smooth-EIoU (loss)')
    ax.plot(iterations, trajectories['smooth_eiou'].eiou.numpy(), ':',
            label='IoU under Smooth-EIoU')
    ax.axhline(-1.0, color='gray', linewidth=0.5)
    ax.axhline(0.0, color='gray', linewidth=0.5)
    ax.set_xlabel('iteration')
    ax.set_title(f'(c) gradient descent with SOT, lr = {FIG4_LR}', fontsize=10)
    ax.legend(loc='center right', fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


# ------------------------------------------------------------------------------------ Fig. 5
def fig5a_trajectories(lr: float = FIG5_LR,
                       iters: int = FIG5_ITERS) -> Dict[str, Dict[float, Trajectory]]:
    """Fig. 5(a): ``{'sot' | 'no_sot': {s: trajectory}}``, target (0, 0, s, s) from
    (0, 0, s/2, s/2), Smooth-EIoU (Eq. 23), all four coordinates free."""
    return {mode: {scale: gradient_descent((0.0, 0.0, scale / 2, scale / 2),
                                           (0.0, 0.0, scale, scale), power=2.0,
                                           use_sot=mode == 'sot', lr=lr, iters=iters)
                   for scale in FIG5A_SCALES}
            for mode in SOT_MODES}


def fig5b_trajectories(lr: float = FIG5_LR,
                       iters: int = FIG5_ITERS) -> Dict[str, Dict[float, Trajectory]]:
    """Fig. 5(b): ``{'sot' | 'no_sot': {size: trajectory}}``, target (0, 0, 1, 1) from
    (0, 0, size, size), Smooth-EIoU (Eq. 23), all four coordinates free."""
    return {mode: {size: gradient_descent((0.0, 0.0, size, size), (0.0, 0.0, 1.0, 1.0),
                                          power=2.0, use_sot=mode == 'sot', lr=lr,
                                          iters=iters)
                   for size in FIG5B_START_SIZES}
            for mode in SOT_MODES}


def max_deviation(trajectories: Dict[float, Trajectory], attribute: str = 'eiou') -> float:
    """The largest difference, over iterations and pairs of runs, of ``attribute``."""
    curves = torch.stack([getattr(t, attribute) for t in trajectories.values()])
    return float((curves.max(0).values - curves.min(0).values).max())


def plot_fig5(panel_a: Dict[str, Dict[float, Trajectory]],
              panel_b: Dict[str, Dict[float, Trajectory]], path: str) -> None:
    """Draw Fig. 5 (loss and IoU per iteration, both panels, SOT solid) to ``path``."""
    fig = Figure(figsize=(11, 8))
    axes = fig.subplots(2, 2)
    colors = ('tab:blue', 'tab:orange', 'tab:green')
    panels = ((0, panel_a, '(a) target (0,0,s,s), start (0,0,s/2,s/2)', 's = {:g}'),
              (1, panel_b, '(b) target (0,0,1,1), start (0,0,w,w)', 'w = {:g}'))
    for row, trajectories, title, key_label in panels:
        for column, attribute, ylabel in ((0, 'loss', 'Smooth-EIoU loss'), (1, 'eiou', 'IoU')):
            ax = axes[row, column]
            for mode, line_style in (('sot', '-'), ('no_sot', '--')):
                for index, (key, trajectory) in enumerate(trajectories[mode].items()):
                    # the SOT curves of panel (a) coincide: thinner lines for larger s keep all
                    # three visible
                    mode_label = 'SOT' if mode == 'sot' else 'no SOT'
                    ax.plot(getattr(trajectory, attribute).numpy(), line_style,
                            color=colors[index],
                            linewidth=4.5 - 1.5 * index if mode == 'sot' else 1.5,
                            label=f'{key_label.format(key)}, {mode_label}')
            ax.set_xlabel('iteration')
            ax.set_ylabel(ylabel)
            ax.set_title(f'{title}, lr = {FIG5_LR}', fontsize=10)
            ax.legend(fontsize=7)
    fig.suptitle('Fig. 5: Smooth-EIoU with SOT (solid) and without (dashed)')
    fig.tight_layout()
    fig.savefig(path, dpi=100)


# ------------------------------------------------------------------------------------ summary
def _iteration_text(iteration: Optional[int]) -> str:
    return '-' if iteration is None else str(iteration)


def summary(fig3: Dict[str, Dict[str, float]], fig4: Dict[str, Trajectory],
            fig5a: Dict[str, Dict[float, Trajectory]],
            fig5b: Dict[str, Dict[float, Trajectory]]) -> str:
    """The numbers behind the three figures as a text table, with the paper's values."""
    lines = ['Fig. 3 (paper: overlapping IoU = EIoU = 1/7 = 0.142857, GIoU = -5/63 = -0.079365;'
             ' touching all 0)',
             f"  {'pair':<12}{'IoU':>12}{'GIoU':>12}{'EIoU':>12}"]
    for name, numbers in fig3.items():
        lines.append(f"  {name:<12}{numbers['iou']:>12.6f}{numbers['giou']:>12.6f}"
                     f"{numbers['eiou']:>12.6f}")

    lines += ['', f'Fig. 4(c) (SOT, lr = {FIG4_LR}, {FIG4_ITERS} iterations, x2/y2 free)',
              f"  {'loss':<14}{'final IoU':>11}{'IoU min/max over last 50':>28}"
              f"{'first iter IoU >= 0.9999':>27}"]
    for name, label in (('neg_eiou', '-EIoU'), ('smooth_eiou', 'Smooth-EIoU')):
        trajectory = fig4[name]
        last = trajectory.eiou[-50:]
        lines.append(f'  {label:<14}{trajectory.final_eiou:>11.6f}'
                     f'{float(last.min()):>16.4f} / {float(last.max()):.4f}'
                     f'{_iteration_text(trajectory.first_iteration_reaching(0.9999)):>22}')

    for panel_name, panel, key_name in (('Fig. 5(a)', fig5a, 's'), ('Fig. 5(b)', fig5b, 'w')):
        lines += ['', f'{panel_name} (Smooth-EIoU, lr = {FIG5_LR}, {FIG5_ITERS} iterations, all '
                      'coordinates free)',
                  f"  {'mode':<8}{key_name:>5}{'final IoU':>12}{'final loss':>13}"
                  f"{'first iter IoU >= 0.99':>25}"]
        for mode in SOT_MODES:
            for key, trajectory in panel[mode].items():
                lines.append(f'  {mode:<8}{key:>5g}{trajectory.final_eiou:>12.6f}'
                             f'{float(trajectory.loss[-1]):>13.3e}'
                             f'{_iteration_text(trajectory.first_iteration_reaching(0.99)):>25}')
        if panel is fig5a:
            for mode in SOT_MODES:
                lines.append(f'  max |difference| between the three {mode} curves: IoU '
                             f"{max_deviation(panel[mode]):.3e}, loss "
                             f"{max_deviation(panel[mode], 'loss'):.3e}")
    return '\n'.join(lines)


# ------------------------------------------------------------------------------- command line
def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Reproduce Fig. 3, 4 and 5 of Peng & Yu's EIoU paper as PNG files "
        '(docs/paper_figures.md).')
    parser.add_argument('--out-dir', default=osp.join('work_dirs', 'paper_figures'),
                        help='where to write the PNG files')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, str]:
    """Compute every figure, write the PNGs, print the summary; return ``{figure: path}``.
    ``tools/paper_figures.py`` calls this with the command line's arguments."""
    args = parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)
    paths = {figure: osp.join(args.out_dir, name) for figure, name in OUTPUT_FILES.items()}

    fig3 = fig3_values()
    fig4 = fig4_trajectories()
    fig5a = fig5a_trajectories()
    fig5b = fig5b_trajectories()
    plot_fig3(fig3, paths['fig3'])
    plot_fig4(fig4, paths['fig4'])
    plot_fig5(fig5a, fig5b, paths['fig5'])

    print(summary(fig3, fig4, fig5a, fig5b))
    print('\nwrote ' + ', '.join(paths.values()))
    return paths
