"""Localisation-only simulations of box losses (no detector): see :mod:`.regression`."""
from .regression import (LOSSES, Cases, LossRun, LossSpec, Schedule, add_scale_table,
                         eiou_box_loss, iters_to, make_cases, per_centre_error, plot_curves,
                         plot_error_maps, plot_scales, results_markdown, run_loss, summarise,
                         write_results)

__all__ = [
    'LOSSES', 'Cases', 'LossRun', 'LossSpec', 'Schedule', 'add_scale_table',
    'eiou_box_loss', 'iters_to', 'make_cases', 'per_centre_error', 'plot_curves',
    'plot_error_maps', 'plot_scales', 'results_markdown', 'run_loss', 'summarise',
    'write_results'
]
