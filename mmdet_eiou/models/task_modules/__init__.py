from .corner_delta_bbox_coder import CornerDeltaBBoxCoder

__all__ = ['CornerDeltaBBoxCoder']
