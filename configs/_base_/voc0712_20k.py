# The paper's PASCAL VOC protocol (Sec. V-A), everything but the model:
# train on VOC2007+2012 trainval, test on VOC2007 test, COCO-style AP (+ AP90), short side 500,
# horizontal flip only, SGD lr 0.02 momentum 0.9 wd 1e-4, 20k iterations with steps at 12k and
# 18k, batch 16 (8 GPUs x 2 images). Data layout and the VOC -> COCO json step: README.md.
_base_ = ['mmdet::_base_/default_runtime.py']
custom_imports = dict(imports=['mmdet_eiou'], allow_failed_imports=False)

data_root = 'data/VOCdevkit/'
metainfo = dict(classes=(
    'aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair', 'cow',
    'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant', 'sheep', 'sofa',
    'train', 'tvmonitor'))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='Resize', scale=(833, 500), keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(833, 500), keep_ratio=True),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='PackDetInputs',
         meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
train_dataloader = dict(
    batch_size=2,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    batch_sampler=dict(type='AspectRatioBatchSampler'),
    dataset=dict(
        type='CocoDataset',
        data_root=data_root,
        metainfo=metainfo,
        ann_file='annotations/voc0712_trainval.json',
        data_prefix=dict(img=''),
        filter_cfg=dict(filter_empty_gt=True, min_size=32),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='CocoDataset',
        data_root=data_root,
        metainfo=metainfo,
        ann_file='annotations/voc07_test.json',
        data_prefix=dict(img=''),
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(
    type='mmdet_eiou.CocoAP90Metric',
    ann_file=data_root + 'annotations/voc07_test.json',
    metric='bbox',
    ap_iou_thrs=(0.9, ))
test_evaluator = val_evaluator

max_iters = 20000
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=5000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=max_iters, by_epoch=False, milestones=[12000, 18000],
         gamma=0.1)
]
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=0.0001))
auto_scale_lr = dict(enable=False, base_batch_size=16)
default_hooks = dict(
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=5000),
    # mmdet 3 dropped 2.x's default check that the heads' num_classes match the data's classes;
    # on other data (a config's classes overridden, num_classes forgotten) training then fails
    # deep in a loss ("Target 6 is out of bounds"). This names both numbers before it starts.
    num_class_check=dict(type='NumClassCheckHook'))
log_processor = dict(by_epoch=False)
