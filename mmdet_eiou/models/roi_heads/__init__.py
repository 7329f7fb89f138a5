from .iou_head import IoUHead
from .iou_roi_head import IoURoIHead

__all__ = ['IoUHead', 'IoURoIHead']
