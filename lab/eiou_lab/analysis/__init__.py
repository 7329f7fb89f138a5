"""Analyses of the method outside a training run.

Not imported by ``import mmdet_eiou``: ``import eiou_lab.analysis`` loads the two modules
below, neither of which needs mmdet: :mod:`.paper_figures` reproduces the paper's toy
experiments (Fig. 3, 4 and 5; torch and matplotlib), :mod:`.localisation` measures how tightly
a detector's recalled objects are boxed (torch, numpy and pycocotools). :mod:`.gradient_scale`
(how hard each row's box loss pushes the regression outputs) needs mmdet's coders and losses,
and :mod:`.disjoint_census` (where positive pairs start apart, from what
``eiou_lab.DisjointCensusHook`` recorded) reads our hook's constants: both are loaded only by
name, e.g. ``import eiou_lab.analysis.gradient_scale``.
"""
from . import localisation, paper_figures
from .localisation import recalled_ious, summarise_ious
from .paper_figures import (Trajectory, fig3_values, fig4_surfaces, fig4_trajectories,
                            fig5a_trajectories, fig5b_trajectories, gradient_descent,
                            max_deviation, standard_iou_and_giou)

__all__ = [
    'Trajectory', 'fig3_values', 'fig4_surfaces', 'fig4_trajectories', 'fig5a_trajectories',
    'fig5b_trajectories', 'gradient_descent', 'localisation', 'max_deviation', 'paper_figures',
    'recalled_ious', 'standard_iou_and_giou', 'summarise_ious'
]
