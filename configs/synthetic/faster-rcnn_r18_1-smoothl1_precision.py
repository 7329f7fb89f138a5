# Table I row 1 (Smooth-L1) on the precision track:
# ./faster-rcnn_r18_1-smoothl1_synthetic.py on other data and schedule.
# The other *_precision.py rows repeat, one by one, the change of their synthetic row
# (tests/test_configs.py keeps the chains in step).
_base_ = './faster-rcnn_r18_1-smoothl1_synthetic.py'

# The precision track: the same model and loss on precision-style shapes
# (`tools/make_synthetic_data.py --style precision`: recognition easy, boxes exact, sides
# 12-110 px, aspect ratios up to 3), where localisation, not recognition, decides AP75/AP90.
# Three splits: train, val (choose hyper-parameters), test (report). Other COCO-layout data
# (train/val/test.json): `tools/ablation.py --data-root DIR --cfg-options` with
# {train,val,test}_dataloader.dataset.metainfo.classes and
# model.roi_head.bbox_head.num_classes (README).
data_root = 'data/precision/'
max_iters = 1000
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root, ann_file='test.json'))
val_evaluator = dict(ann_file=data_root + 'val.json')
test_evaluator = dict(ann_file=data_root + 'test.json')
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
    dict(type='MultiStepLR', begin=0, end=max_iters, by_epoch=False,
         milestones=[int(max_iters * 0.75), int(max_iters * 0.9)], gamma=0.1)
]
# Tuned on val: Smooth-L1's beta, from 1/9, 1/3 and 1 (the synthetic row's), by val AP:
# configs/studies/precision_faster-rcnn.py, tuning 'Smooth-L1 beta (row 1)' (each point's
# numbers: docs/precision/val/faster-rcnn/results.md). 0.1111 is 1/9 as run.
model = dict(roi_head=dict(bbox_head=dict(loss_bbox=dict(beta=0.1111))))
