from .iou_retina_head import IoURetinaHead

__all__ = ['IoURetinaHead']
