# ATSS (mmdet's ATSSHead: adaptive IoU threshold per ground truth, delta-coded boxes decoded for
# its GIoU loss, centreness) on ./fpn_r18.py, for the CPU precision track.
_base_ = './fpn_r18.py'

model = dict(
    type='ATSS',
    bbox_head=dict(
        type='ATSSHead',
        num_classes=5,
        in_channels=64,
        stacked_convs=2,
        feat_channels=64,
        bbox_coder=dict(
            type='DeltaXYWHBBoxCoder', target_means=[.0, .0, .0, .0],
            target_stds=[0.1, 0.1, 0.2, 0.2]),
        loss_cls=dict(
            type='FocalLoss', use_sigmoid=True, gamma=2.0, alpha=0.25, loss_weight=1.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=2.0),
        loss_centerness=dict(type='CrossEntropyLoss', use_sigmoid=True, loss_weight=1.0)),
    train_cfg=dict(
        assigner=dict(type='ATSSAssigner', topk=9), allowed_border=-1, pos_weight=-1,
        debug=False))
