# VFNet (mmdet's VFNetHead: ATSS assignment, varifocal loss, a first box and a refined one,
# each with its GIoU loss) on ./fpn_r18.py, for the CPU precision track.
_base_ = './fpn_r18.py'

model = dict(
    type='VFNet',
    neck=dict(relu_before_extra_convs=True),
    bbox_head=dict(
        type='VFNetHead',
        num_classes=5,
        in_channels=64,
        stacked_convs=2,
        feat_channels=64,
        strides=[4, 8, 16, 32, 64],
        center_sampling=False,
        dcn_on_last_conv=False,
        use_atss=True,
        use_vfl=True,
        anchor_generator=dict(center_offset=0.0),  # VFNetHead's default offset
        loss_cls=dict(
            type='VarifocalLoss', use_sigmoid=True, alpha=0.75, gamma=2.0, iou_weighted=True,
            loss_weight=1.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=1.5),
        loss_bbox_refine=dict(type='GIoULoss', loss_weight=2.0)),
    train_cfg=dict(
        assigner=dict(type='ATSSAssigner', topk=9), allowed_border=-1, pos_weight=-1,
        debug=False))
