"""Localisation-only simulations of box losses (no detector): the DIoU-style benchmark
(:mod:`.regression`) on the box gradient descent of :mod:`.descent`."""
from .descent import SOT_MAX, descent_step, eiou_box_loss
from .regression import (LOSSES, Cases, LossRun, LossSpec, Schedule, add_scale_table, iters_to,
                         make_cases, per_centre_error, plot_curves, plot_error_maps,
                         plot_scales, results_markdown, run_loss, summarise, write_results)

__all__ = [
    'LOSSES', 'SOT_MAX', 'Cases', 'LossRun', 'LossSpec', 'Schedule', 'add_scale_table',
    'descent_step', 'eiou_box_loss', 'iters_to', 'make_cases', 'per_centre_error',
    'plot_curves', 'plot_error_maps', 'plot_scales', 'results_markdown', 'run_loss',
    'summarise', 'write_results'
]
