from .corner_delta_bbox_coder import CornerDeltaBBoxCoder
from .eiou_cost import EIoUCost

__all__ = ['CornerDeltaBBoxCoder', 'EIoUCost']
