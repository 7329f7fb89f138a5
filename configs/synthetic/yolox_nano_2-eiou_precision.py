# YOLOX with EIoU (p = 1) in place of IoULoss(mode='square'), at mmdet's weight and reduction.
# The pattern for mmdet's COCO YOLOX: configs/eiou/yolox_s_eiou_8xb8-300e_coco.py.
_base_ = './yolox_nano_1-iou_precision.py'

model = dict(
    bbox_head=dict(
        loss_bbox=dict(
            _delete_=True, type='mmdet_eiou.EIoULoss', power=1.0, reduction='sum',
            loss_weight=5.0)))
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook')]
