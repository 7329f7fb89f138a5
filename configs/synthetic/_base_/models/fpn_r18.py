# The backbone, FPN and anchors shared by our CPU-sized dense detectors that mmdet builds on a
# ResNet-FPN (ATSS, GFL, TOOD, VFNet): the ResNet-18 of ./resnet18_from_scratch.py and the
# 64-wide FPN from stride 4 of our RetinaNet and FCOS rows, five levels (strides 4-64) for
# 160 px images; each model sets its head's type and the rest.
_base_ = './resnet18_from_scratch.py'

model = dict(
    data_preprocessor=dict(pad_size_divisor=32),
    backbone=dict(out_indices=(0, 1, 2, 3)),
    neck=dict(
        type='FPN',
        in_channels=[32, 64, 128, 256],
        out_channels=64,
        start_level=0,
        add_extra_convs='on_output',
        num_outs=5),
    # One square anchor per location at 4x its stride (mmdet's ATSS-style heads: 8x), halved
    # for the small objects of 160 px images as the RetinaNet rows halve mmdet's anchors.
    bbox_head=dict(
        anchor_generator=dict(
            type='AnchorGenerator', ratios=[1.0], octave_base_scale=4, scales_per_octave=1,
            strides=[4, 8, 16, 32, 64])),
    test_cfg=dict(
        nms_pre=300, min_bbox_size=0, score_thr=0.05, nms=dict(type='nms', iou_threshold=0.6),
        max_per_img=50))
