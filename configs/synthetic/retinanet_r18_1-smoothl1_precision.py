# The RetinaNet Smooth-L1 row on the precision track:
# ./retinanet_r18_1-smoothl1_synthetic.py on other data and schedule.
# The other *_precision.py rows repeat, one by one, the change of their synthetic row
# (tests/test_configs.py keeps the chains in step).
_base_ = './retinanet_r18_1-smoothl1_synthetic.py'

# The precision track: the same model and loss on precision-style shapes
# (`tools/make_synthetic_data.py --style precision`: recognition easy, boxes exact, sides
# 12-110 px, aspect ratios up to 3), where localisation, not recognition, decides AP75/AP90.
# Three splits: train, val (choose hyper-parameters), test (report). Other COCO-layout data
# (train/val/test.json): `tools/ablation.py --data-root DIR --cfg-options` with
# {train,val,test}_dataloader.dataset.metainfo.classes and model.bbox_head.num_classes (README).
data_root = 'data/precision/'
# RetinaNet's own schedule, chosen on val with the baseline (this row, seed 0) alone: at the
# Faster R-CNN rows' 1000 iterations of AdamW lr 1e-3 it stays recognition-limited;
# configs/studies/precision_retinanet.py, tuning 'schedule (row 1, ...)' (each point's numbers:
# docs/precision/val/retinanet/results.md). About 10 min a run on 2 cores.
max_iters = 3000
optim_wrapper = dict(optimizer=dict(lr=0.0005))
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
# Tuned on val, the same three points per hyper-parameter as the method's: the box-loss
# weight 0.5 / 1 (the synthetic row's) / 2 and Smooth-L1's beta 1/9 (mmdet's RetinaNet
# default, kept) / 1/3 / 1; then, as row 6's choices were trained together once, one more
# point here, the weight one step past the grid's edge, 4: chosen by val AP.
# configs/studies/precision_retinanet.py, tuning 'Smooth-L1 beta/weight (row 1, ...)' (each
# point's numbers: docs/precision/val/retinanet/results.md).
model = dict(bbox_head=dict(loss_bbox=dict(loss_weight=4.0)))
