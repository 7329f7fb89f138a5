# CPU-sized RetinaNet Smooth-L1 row on the embedded synthetic shapes set: the VOC row's model
# and loss on the synthetic data and schedule (./_base_/synthetic_data.py), at CPU size (see
# faster-rcnn_r18_1-smoothl1_synthetic.py). FPN from P2 (stride 4) so that the smallest
# anchors (8 px) fit the smallest objects; two convs per tower.
_base_ = ['mmdet::_base_/models/retinanet_r50_fpn.py', './_base_/synthetic_data.py']

model = dict(
    backbone=dict(
        depth=18,
        base_channels=32,
        frozen_stages=-1,
        norm_eval=False,  # trained from scratch: BN must learn its statistics
        init_cfg=None),
    neck=dict(in_channels=[32, 64, 128, 256], out_channels=64, start_level=0),
    bbox_head=dict(
        num_classes=5,
        loss_bbox=dict(type='SmoothL1Loss', beta=0.11, loss_weight=1.0),
        in_channels=64,
        feat_channels=64,
        stacked_convs=2,
        anchor_generator=dict(octave_base_scale=2, strides=[4, 8, 16, 32, 64])),
    test_cfg=dict(nms_pre=300, max_per_img=50))
