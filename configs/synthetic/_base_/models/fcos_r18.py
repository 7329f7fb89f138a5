# FCOS (mmdet's FCOS with its "tricks": centre sampling, normalised box regression, centreness
# on the regression branch, GIoU loss) on the ResNet-18 (./resnet18_from_scratch.py) and FPN of
# our RetinaNet rows (64-wide FPN from stride 4), for the CPU precision track.
_base_ = './resnet18_from_scratch.py'

model = dict(
    type='FCOS',
    data_preprocessor=dict(pad_size_divisor=32),
    backbone=dict(out_indices=(0, 1, 2, 3)),
    neck=dict(
        type='FPN',
        in_channels=[32, 64, 128, 256],
        out_channels=64,
        start_level=0,
        add_extra_convs='on_output',
        num_outs=5,
        relu_before_extra_convs=True),
    bbox_head=dict(
        type='FCOSHead',
        num_classes=5,
        in_channels=64,
        stacked_convs=2,
        feat_channels=64,
        strides=[4, 8, 16, 32, 64],
        regress_ranges=((-1, 32), (32, 64), (64, 128), (128, 256), (256, 1e8)),
        norm_on_bbox=True,
        centerness_on_reg=True,
        center_sampling=True,
        conv_bias=True,
        dcn_on_last_conv=False,
        loss_cls=dict(
            type='FocalLoss', use_sigmoid=True, gamma=2.0, alpha=0.25, loss_weight=1.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=1.0),
        loss_centerness=dict(type='CrossEntropyLoss', use_sigmoid=True, loss_weight=1.0)),
    test_cfg=dict(
        nms_pre=300, min_bbox_size=0, score_thr=0.05, nms=dict(type='nms', iou_threshold=0.5),
        max_per_img=50))
