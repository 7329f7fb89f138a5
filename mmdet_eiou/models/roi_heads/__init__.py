from .iou_roi_head import IoURoIHead
from .iou_shared2fc_bbox_head import IoUShared2FCBBoxHead, PriorsToLossShared2FCBBoxHead

__all__ = ['IoURoIHead', 'IoUShared2FCBBoxHead', 'PriorsToLossShared2FCBBoxHead']
