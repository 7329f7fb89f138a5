# The precision track's data (tools/make_synthetic_data.py --style precision; train, val to
# choose, test to report) on the synthetic base, for the detector families whose rows start
# here (DETR-style, YOLOX, FCOS); the Faster R-CNN and RetinaNet rows set the same from their
# synthetic rows (*_precision.py).
_base_ = './synthetic_data.py'

data_root = 'data/precision/'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root, ann_file='test.json'))
val_evaluator = dict(ann_file=data_root + 'val.json')
test_evaluator = dict(ann_file=data_root + 'test.json')
