"""Measuring box losses on a device: what a forward+backward costs in time and memory, the
losses compared, and the environment measured in. Pure torch; torchvision and mmdet are
compared when they import. ``tools/benchmark_losses.py`` is the command line.

:mod:`.iou_head` (not imported here: it needs mmdet) times detectors with and without an IoU
head; ``tools/benchmark_iou_head.py`` is its command line.
"""
from .comparison import compare_losses, markdown_table
from .environment import describe_environment
from .losses import compared_losses
from .memory import saved_mib
from .timing import median_ms

__all__ = [
    'compare_losses', 'compared_losses', 'describe_environment', 'markdown_table', 'median_ms',
    'saved_mib'
]
