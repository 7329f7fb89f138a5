# CPU-sized Table I row 1 (Smooth-L1) on the embedded synthetic shapes set: the VOC row's
# model and loss on the synthetic data and schedule (./_base_/synthetic_data.py), at CPU size:
# ResNet-18 at half its width trained from scratch (no download), a small RPN/RoI budget.
# The other synthetic rows repeat, one by one, the single change of their VOC row
# (tests/test_configs.py checks that the two chains stay in step).
_base_ = ['mmdet::_base_/models/faster-rcnn_r50_fpn.py', './_base_/synthetic_data.py']

model = dict(
    data_preprocessor=dict(pad_size_divisor=32),
    backbone=dict(
        depth=18,
        base_channels=32,
        frozen_stages=-1,
        norm_eval=False,  # trained from scratch: BN must learn its statistics
        init_cfg=None),
    neck=dict(in_channels=[32, 64, 128, 256], out_channels=64),
    rpn_head=dict(
        in_channels=64,
        feat_channels=64,
        anchor_generator=dict(scales=[4])),  # 16 px anchors at stride 4 for 8 px objects
    roi_head=dict(
        bbox_roi_extractor=dict(out_channels=64),
        bbox_head=dict(
            in_channels=64,
            fc_out_channels=256,
            num_classes=5,
            loss_bbox=dict(type='SmoothL1Loss', beta=1.0, loss_weight=1.0))),
    train_cfg=dict(
        rpn=dict(sampler=dict(num=128)),
        rpn_proposal=dict(nms_pre=500, max_per_img=200),
        rcnn=dict(sampler=dict(num=128))),
    test_cfg=dict(rpn=dict(nms_pre=300, max_per_img=100), rcnn=dict(max_per_img=50)))
