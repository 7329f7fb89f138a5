from .eiou import eiou_loss, extended_intersection_union, extended_iou, sot_scale
from .smooth_eiou_loss import EIoULoss, check_decoded_boxes
from .iou_kl_loss import IoUKLLoss, iou_kl_loss

__all__ = [
    'EIoULoss', 'IoUKLLoss', 'check_decoded_boxes', 'eiou_loss', 'extended_intersection_union',
    'extended_iou', 'iou_kl_loss', 'sot_scale'
]
