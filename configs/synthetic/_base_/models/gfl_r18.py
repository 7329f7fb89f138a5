# GFL (mmdet's GFLHead: ATSS assignment, quality focal loss, boxes as distributions over 17
# bins with a distribution focal loss, GIoU on the decoded boxes) on ./fpn_r18.py, for the CPU
# precision track.
_base_ = './fpn_r18.py'

model = dict(
    type='GFL',
    bbox_head=dict(
        type='GFLHead',
        num_classes=5,
        in_channels=64,
        stacked_convs=2,
        feat_channels=64,
        loss_cls=dict(type='QualityFocalLoss', use_sigmoid=True, beta=2.0, loss_weight=1.0),
        loss_dfl=dict(type='DistributionFocalLoss', loss_weight=0.25),
        reg_max=16,
        loss_bbox=dict(type='GIoULoss', loss_weight=2.0)),
    train_cfg=dict(
        assigner=dict(type='ATSSAssigner', topk=9), allowed_border=-1, pos_weight=-1,
        debug=False))
