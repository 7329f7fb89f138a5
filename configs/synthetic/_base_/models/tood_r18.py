# TOOD (mmdet's TOODHead: task-aligned head and assigner, quality focal loss, GIoU on decoded
# anchor-free boxes) on ./fpn_r18.py, for the CPU precision track. mmdet assigns with ATSS for
# its first `initial_epoch` epochs; the head reads the epoch from the message hub, which an
# iteration-based loop keeps at 0, so that count would never pass: 0 here, TOOD's own
# task-aligned assignment from the first iteration (the ATSS phase is the ATSS model's).
_base_ = './fpn_r18.py'

model = dict(
    type='TOOD',
    bbox_head=dict(
        type='TOODHead',
        num_classes=5,
        in_channels=64,
        stacked_convs=3,
        feat_channels=64,
        anchor_type='anchor_free',
        bbox_coder=dict(
            type='DeltaXYWHBBoxCoder', target_means=[.0, .0, .0, .0],
            target_stds=[0.1, 0.1, 0.2, 0.2]),
        initial_loss_cls=dict(
            type='FocalLoss', use_sigmoid=True, activated=True, gamma=2.0, alpha=0.25,
            loss_weight=1.0),
        loss_cls=dict(
            type='QualityFocalLoss', use_sigmoid=True, activated=True, beta=2.0,
            loss_weight=1.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=2.0)),
    train_cfg=dict(
        initial_epoch=0,
        initial_assigner=dict(type='ATSSAssigner', topk=9),
        assigner=dict(type='TaskAlignedAssigner', topk=13),
        alpha=1,
        beta=6,
        allowed_border=-1,
        pos_weight=-1,
        debug=False))
