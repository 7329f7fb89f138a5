# Table II, ours step by step: EIoU with CT, (1 - EIoU)^2, in place of GIoU, trained as
# Algorithm 2 trains it: corners regressed as offsets / sqrt(anchor area) (the Sec. IV coder), by
# a head that hands the anchors to the loss (SOT's unit). No IoU branch yet.
_base_ = './retinanet_r50_fpn_2-giou_20k_voc0712.py'
model = dict(
    bbox_head=dict(
        type='mmdet_eiou.IoURetinaHead',
        loss_iou=None,
        # stds 1.0, as RetinaNet's own delta coder (R-CNN rows: 0.1, as its 0.1/0.2): with
        # 0.1 the loss's gradient on the deltas is 10x smaller (tools/gradient_scale.py)
        bbox_coder=dict(
            _delete_=True, type='mmdet_eiou.CornerDeltaBBoxCoder', target_stds=[1.0] * 4),
        loss_bbox=dict(type='mmdet_eiou.EIoULoss', power=2.0)))
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook')]
