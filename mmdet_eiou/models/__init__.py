from .dense_heads import IoURetinaHead, PriorsToLossDINOHead, PriorsToLossRetinaHead
from .losses import EIoULoss, IoUKLLoss
from .roi_heads import IoURoIHead, IoUShared2FCBBoxHead, PriorsToLossShared2FCBBoxHead
from .task_modules import CornerDeltaBBoxCoder, EIoUCost

__all__ = [
    'CornerDeltaBBoxCoder', 'EIoUCost', 'EIoULoss', 'IoUKLLoss', 'IoURetinaHead', 'IoURoIHead',
    'IoUShared2FCBBoxHead', 'PriorsToLossDINOHead', 'PriorsToLossRetinaHead',
    'PriorsToLossShared2FCBBoxHead'
]
