from .dense_heads import IoURetinaHead, PriorsToLossRetinaHead
from .losses import EIoULoss, IoUKLLoss
from .roi_heads import IoURoIHead, IoUShared2FCBBoxHead, PriorsToLossShared2FCBBoxHead
from .task_modules import CornerDeltaBBoxCoder

__all__ = [
    'CornerDeltaBBoxCoder', 'EIoULoss', 'IoUKLLoss', 'IoURetinaHead', 'IoURoIHead',
    'IoUShared2FCBBoxHead', 'PriorsToLossRetinaHead', 'PriorsToLossShared2FCBBoxHead'
]
