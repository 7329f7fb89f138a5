from .iou_guided_nms import (IOU_GUIDED_MODES, check_iou_guided_cfg, fuse_scores,
                             iou_guided_nms, iou_guided_postprocess, multiclass_iou_guided_nms)

__all__ = [
    'IOU_GUIDED_MODES', 'check_iou_guided_cfg', 'fuse_scores', 'iou_guided_nms',
    'iou_guided_postprocess', 'multiclass_iou_guided_nms'
]
