from .iou_retina_head import IoURetinaHead, PriorsToLossRetinaHead

__all__ = ['IoURetinaHead', 'PriorsToLossRetinaHead']
