# The change of ./retinanet_r18_4-eiou-ct_synthetic.py,
# on the precision track.
_base_ = './retinanet_r18_2-giou_precision.py'
model = dict(
    bbox_head=dict(
        type='mmdet_eiou.IoURetinaHead',
        loss_iou=None,
        # stds 1.0, as RetinaNet's own delta coder (R-CNN rows: 0.1, as its 0.1/0.2): with
        # 0.1 the loss's gradient on the deltas is 10x smaller (tools/gradient_scale.py)
        bbox_coder=dict(
            _delete_=True, type='mmdet_eiou.CornerDeltaBBoxCoder', target_stds=[1.0] * 4),
        # Tuned on val with row 6, for the EIoU rows 4-6: the weight 1 / 2 (the synthetic row's,
        # mmdet's GIoU default) / 4 and CT's p 1.5 / 2 / 3, then both with row 6's KL weight,
        # by val AP: configs/studies/precision_retinanet.py, tuning 'EIoU weight', "CT's p".
        loss_bbox=dict(type='mmdet_eiou.EIoULoss', power=1.5, loss_weight=4.0)))
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook')]
