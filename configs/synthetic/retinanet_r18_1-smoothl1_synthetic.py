# CPU-sized RetinaNet Smooth-L1 row on the embedded synthetic shapes set: the VOC row with only
# data, model size and optimiser changed (see faster-rcnn_r18_1-smoothl1_synthetic.py). FPN from P2
# (stride 4) so that the smallest anchors (8 px) fit the smallest objects; two convs per tower.
_base_ = '../ablation/retinanet_r50_fpn_1-smoothl1_20k_voc0712.py'

data_root = 'data/synthetic/'
metainfo = dict(classes=('frame', 'ellipse', 'triangle', 'cross', 'star'))
img_scale = (160, 160)
max_iters = 500

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
        in_channels=64,
        feat_channels=64,
        stacked_convs=2,
        anchor_generator=dict(octave_base_scale=2, strides=[4, 8, 16, 32, 64])),
    test_cfg=dict(nms_pre=300, max_per_img=50))

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='PackDetInputs',
         meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
train_dataloader = dict(
    batch_size=4,
    num_workers=1,
    dataset=dict(
        data_root=data_root,
        metainfo=metainfo,
        ann_file='train.json',
        filter_cfg=dict(filter_empty_gt=True, min_size=0),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=4,
    num_workers=1,
    dataset=dict(
        data_root=data_root, metainfo=metainfo, ann_file='val.json', pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'val.json', ap_iou_thrs=(0.8, 0.85, 0.9, 0.95))
test_evaluator = val_evaluator

train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
# From scratch in a few hundred iterations AdamW learns far faster than the VOC rows' SGD
# (measured on row 1: 13.0 AP against 0.9 AP with SGD lr 0.02 at 600 iterations).
optim_wrapper = dict(optimizer=dict(_delete_=True, type='AdamW', lr=0.001, weight_decay=0.0001))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
    dict(type='MultiStepLR', begin=0, end=max_iters, by_epoch=False,
         milestones=[int(max_iters * 0.75), int(max_iters * 0.9)], gamma=0.1)
]
default_hooks = dict(
    checkpoint=dict(interval=100, max_keep_ckpts=1),  # a killed run loses < 100 iterations
    logger=dict(interval=20))
