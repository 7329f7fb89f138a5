"""Analyses of the method outside a detector (torch and matplotlib only, no mmdet).

Not imported by ``import mmdet_eiou``: ``import mmdet_eiou.analysis`` when needed.
:mod:`.paper_figures` reproduces the paper's toy experiments (Fig. 3, 4 and 5);
:mod:`.localisation` measures how tightly a detector's recalled objects are boxed.
"""
from . import localisation, paper_figures
from .localisation import recalled_ious, summarise_ious
from .paper_figures import (Trajectory, fig3_values, fig4_surfaces, fig4_trajectories,
                            fig5a_trajectories, fig5b_trajectories, gradient_descent,
                            max_deviation, standard_iou_and_giou)

__all__ = [
    'Trajectory', 'fig3_values', 'recalled_ious', 'summarise_ious', 'localisation', 'fig4_surfaces', 'fig4_trajectories', 'fig5a_trajectories',
    'fig5b_trajectories', 'gradient_descent', 'max_deviation', 'paper_figures',
    'standard_iou_and_giou'
]
