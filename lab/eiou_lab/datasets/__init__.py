"""The synthetic shapes data: its generator and the dataset class that loads it."""
from .synthetic_shapes import (CLASSES, SPLIT_IDS, STYLES, SUPERSAMPLING, RenderedObject,
                               SyntheticStyle, format_summary, get_style, make_dataset,
                               render_image, write_split)
from .synthetic_shapes_dataset import SyntheticShapesDataset

__all__ = [
    'CLASSES', 'SPLIT_IDS', 'STYLES', 'SUPERSAMPLING', 'RenderedObject', 'SyntheticStyle',
    'SyntheticShapesDataset', 'format_summary', 'get_style', 'make_dataset', 'render_image',
    'write_split'
]
