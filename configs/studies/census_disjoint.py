# The disjoint-pair census (tools/census.py): one CPU-sized model per detector family on the
# precision track, our EIoU (p = 1) in place of its IoU loss (and, DETR-style, in its match
# cost), mmdet_eiou.DisjointCensusHook recording every iteration; scored on val at the end.
# The same budget for every family; the learning rate schedule is each family's own (scaled
# to the budget). 45 min on 2 cores with --jobs 2 on 2026-12-02, with other work sharing the
# cores (DINO and Deformable DETR 1.9-2.0 s an iteration on one core, DETR 0.76, RetinaNet 1.2,
# Faster R-CNN 1.1, FCOS 0.68, YOLOX 0.59, two side by side).
name = 'disjoint-pair census'
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
]
