"""Localisation-only simulation of every box loss on the DIoU paper's 1 715 000 cases.

    python tools/simulate_regression.py --out DIR [--losses NAME ...] [--num-centres 5000]
        [--iters 200] [--lr 0.1] [--scale 1] [--scales 0.25 1 4] [--scale-centres C]
        [--seed 0] [--iou-weighting] [--chunk-size 131072] [--threads N] [--compile]

Each case (anchor, target) is optimised by plain gradient descent on its corners with the
loss's exact gradient (lr until 80 % of the iterations, /10 until 90 %, /100 after). With
``--scales`` the cases (the first ``--scale-centres`` centres' when given) are also run with every
coordinate multiplied by each scale (the learning rate unchanged) and a scale table is added
(``final_mean_iou_by_scale``, ``scale_spread``); the main metrics are those of ``--scale``.
On a shared machine ``--threads 1`` avoids the collapse of torch's thread pool when the cores
are oversubscribed (measured 8-15x slower with 2 threads next to other jobs).
Writes ``DIR/results.json`` (per loss name), ``DIR/results.md``, ``DIR/run.json`` (settings and
wall times) and the plots ``DIR/iou_curves.png``, ``DIR/error_maps.png`` (and
``DIR/scales.png``). The logic lives in :mod:`eiou_lab.simulation` (``regression``, the
runs: ``experiment``).
"""
import argparse
import os
import os.path as osp
import platform
import sys
import time

import torch

from mmdet_eiou.ops import compile_mode
from eiou_lab.simulation import regression as sim
from eiou_lab.simulation.experiment import ScalePlan
from eiou_lab.simulation.experiment import simulate as run_simulation


class Progress:
    """tqdm when it is installed, else a line every 5 % of the work."""

    def __init__(self, total: int):
        self.total, self.done, self.shown = total, 0, -1
        try:
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit='case', unit_scale=True, smoothing=0.05)
        except ImportError:
            self.bar = None
        self.start = time.perf_counter()

    def __call__(self, n: int) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
            return
        pct = int(100 * self.done / self.total) // 5 * 5
        if pct > self.shown:
            self.shown = pct
            print(f'  {pct:3d} %  {self.done}/{self.total} case-runs  '
                  f'{time.perf_counter() - self.start:.0f} s', flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', required=True, help='output directory')
    parser.add_argument('--losses', nargs='+', default=list(sim.LOSSES),
                        choices=list(sim.LOSSES), help='losses to run (default: all)')
    parser.add_argument('--num-centres', type=int, default=5000,
                        help='anchor centres; cases = 343 x this (default 5000: 1 715 000)')
    parser.add_argument('--iters', type=int, default=200)
    parser.add_argument('--lr', type=float, default=0.1,
                        help='learning rate until 80%% of the iterations, then /10, /100')
    parser.add_argument('--scale', type=float, default=1.0,
                        help='multiply every coordinate by this (lr unchanged)')
    parser.add_argument('--scales', type=float, nargs='*', default=[],
                        help='also run these scales and add a scale table')
    parser.add_argument('--scale-centres', type=int, default=None,
                        help='anchor centres of the scale table runs (default --num-centres; '
                        'the first ones, as the cases are ordered centre-major)')
    parser.add_argument('--seed', type=int, default=0, help='seed of the anchor centres')
    parser.add_argument('--iou-weighting', action='store_true',
                        help="test_1715k.m's (2 - IoU) factor on every update")
    parser.add_argument('--chunk-size', type=int, default=131072)
    parser.add_argument('--threads', type=int, default=None, help='torch threads')
    parser.add_argument('--compile', action='store_true',
                        help='torch.compile our EIoU kernels (default eager: on chunks of ~1e5 '
                        'boxes eager measured faster and steadier on 2 CPU cores)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    with compile_mode(None if args.compile else False):
        return simulate(args, argv)


def simulate(args, argv=None):
    """The main run at ``--scale``, the scale table's runs, then the results and plots."""
    schedule = sim.Schedule(iters=args.iters, lr=args.lr, iou_weighting=args.iou_weighting)
    plan = ScalePlan.make(args.scale, args.scales, args.num_centres, args.scale_centres)
    cases = sim.make_cases(args.num_centres, args.seed, args.scale)
    print(f'{len(cases)} cases ({int(cases.disjoint.sum())} start disjoint), '
          f'{len(args.losses)} losses, {args.iters} iterations, scale table {plan.scales} on '
          f'{sim.CASES_PER_CENTRE * plan.centres} cases, {torch.get_num_threads()} threads',
          flush=True)
    progress = Progress(plan.case_runs(len(args.losses), len(cases)))
    run = run_simulation(args.losses, cases, args.seed, plan, schedule, args.chunk_size,
                         progress)
    progress.close()
    meta = dict(vars(args), num_cases=len(run.cases),
                scale_table_cases=sim.CASES_PER_CENTRE * plan.centres,
                wall_s=round(run.wall_s, 1), main_run_wall_s=round(run.main_wall_s, 1),
                torch=torch.__version__, threads=torch.get_num_threads(),
                python=platform.python_version(), cpu_count=os.cpu_count(),
                load_avg_at_end=[round(x, 2) for x in os.getloadavg()],
                command=' '.join(['python', 'tools/simulate_regression.py']
                                 + (sys.argv[1:] if argv is None else list(argv))),
                date=time.strftime('%Y-%m-%d %H:%M:%S %Z'),
                lr_milestones=list(schedule.milestones), sot_max=sim.SOT_MAX)
    sim.write_results(args.out, run.summaries, meta)
    sim.plot_curves(run.summaries, osp.join(args.out, 'iou_curves.png'))
    sim.plot_error_maps(run.errors, run.cases.centres, osp.join(args.out, 'error_maps.png'))
    if plan.scales:
        sim.plot_scales(run.summaries, osp.join(args.out, 'scales.png'))
    print(sim.results_markdown(run.summaries))
    print(f'wall time {run.wall_s:.1f} s (main run {run.main_wall_s:.1f} s); results in '
          f'{args.out}')
    return run.summaries


if __name__ == '__main__':
    main()
