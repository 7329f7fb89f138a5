"""Pure-torch maths of the method (no mmdet needed): EIoU, its CT/SOT loss, the standard IoU,
the compile switch, the non-finite check's flag.

Like ``torchvision.ops``: functions on ``(N, 4)`` ``(x1, y1, x2, y2)`` boxes. The mmdet
integration (``mmdet_eiou.EIoULoss`` and the heads) builds on these.
"""
from .compile import compile_mode, get_compile_mode, set_compile_mode
from .eiou import (check_boxes, eiou_loss, eiou_loss_in_compute_dtype,
                   extended_intersection_union, extended_iou, sot_scale)
from .iou import box_area, box_intersection_union, box_iou
from .nonfinite import NonFiniteFlag

__all__ = [
    'NonFiniteFlag', 'box_area', 'box_intersection_union', 'box_iou', 'check_boxes',
    'compile_mode', 'eiou_loss',
    'eiou_loss_in_compute_dtype', 'extended_intersection_union', 'extended_iou',
    'get_compile_mode', 'set_compile_mode', 'sot_scale'
]
