# EIoU + CT for RetinaNet on the synthetic set (the change of ../ablation/retinanet_*_4-*).
_base_ = './retinanet_r18_2-giou_synthetic.py'
model = dict(
    bbox_head=dict(
        type='mmdet_eiou.IoURetinaHead',
        loss_iou=None,
        bbox_coder=dict(
            _delete_=True, type='mmdet_eiou.CornerDeltaBBoxCoder', target_stds=[0.1] * 4),
        loss_bbox=dict(type='mmdet_eiou.EIoULoss', power=2.0)))
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook')]
