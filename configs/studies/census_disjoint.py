# The disjoint-pair census (tools/census.py): one CPU-sized model per detector family on the
# precision track, our EIoU (p = 1) in place of its IoU loss (and, DETR-style, in its match
# cost), eiou_lab.DisjointCensusHook recording every iteration; scored on val at the end.
# The same budget for every family; the learning rate schedule is each family's own (scaled
# to the budget). The first seven rows: 45 min on 2 cores with --jobs 2 on 2026-12-02, with
# other work sharing the cores (DINO and Deformable DETR 1.9-2.0 s an iteration on one core,
# DETR 0.76, RetinaNet 1.2, Faster R-CNN 1.1, FCOS 0.68, YOLOX 0.59, two side by side); the
# last five: 67 min on 2026-12-06, shared with two other trainings for most of it (RTMDet,
# TOOD, ATSS, GFL 0.45-0.55 s an iteration; VFNet 5-7 s: its deformable convolution on a CPU).
name = 'disjoint-pair census'
command = 'python tools/census.py'
kind = 'census'
store = 'docs/census/runs'
report = 'docs/census'
seeds = [0]
splits = ['val']
max_iters = 500

C = 'configs/census/'
rows = [
    dict(config=C + 'dino_r18_census.py', label='DINO'),
    dict(config=C + 'deformable-detr_r18_census.py', label='Deformable DETR'),
    dict(config=C + 'detr_r18_census.py', label='DETR'),
    dict(config=C + 'yolox_nano_census.py', label='YOLOX (SimOTA)'),
    dict(config=C + 'fcos_r18_census.py', label='FCOS'),
    dict(config=C + 'retinanet_r18_census.py', label='RetinaNet'),
    dict(config=C + 'faster-rcnn_r18_census.py', label='Faster R-CNN'),
    dict(config=C + 'rtmdet_nano_census.py', label='RTMDet (dynamic soft labels)'),
    dict(config=C + 'tood_r18_census.py', label='TOOD (task-aligned)'),
    dict(config=C + 'atss_r18_census.py', label='ATSS'),
    dict(config=C + 'gfl_r18_census.py', label='GFL'),
    dict(config=C + 'vfnet_r18_census.py', label='VFNet (first + refined box)'),
]
# mmdet's PAA is not a row: its assigner fits a Gaussian mixture with scikit-learn, which the
# stack leaves out, and its candidates are ATSS-style anchors (IoU-ranked), as ATSS's are.
