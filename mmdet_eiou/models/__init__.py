from .dense_heads import IoURetinaHead
from .losses import EIoULoss, IoUKLLoss
from .roi_heads import IoUHead, IoURoIHead
from .task_modules import CornerDeltaBBoxCoder

__all__ = [
    'CornerDeltaBBoxCoder', 'EIoULoss', 'IoUHead', 'IoUKLLoss', 'IoURetinaHead', 'IoURoIHead'
]
