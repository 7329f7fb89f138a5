# RetinaNet rows 1 and 6 at the chosen schedule (3000 iterations, AdamW lr 5e-4) but the
# synthetic rows' loss settings, before RetinaNet's own loss tuning
# (configs/studies/precision_retinanet.py), three paired seeds.
name = 'precision track, RetinaNet before its loss tuning'
store = 'docs/precision/runs'
report = 'docs/precision/{split}/retinanet-untuned'
splits = ['val', 'test']
seeds = [0, 1, 2]

C = 'configs/synthetic/retinanet_r18_'
B = 'model.bbox_head.loss_bbox'
baseline = 'retinanet_r18_1-smoothl1_precision_b0.11-w1'
rows = [
    dict(config=C + '1-smoothl1_precision.py', tag='b0.11-w1', label='1 Smooth-L1 (beta 1/9, w1)',
         cfg_options=[f'{B}.beta=0.11', f'{B}.loss_weight=1.0']),
    dict(config=C + '6-eiou-ct-sot-iouhead_precision.py', tag='kl1-w2-p2',
         label='6 full method (KL 1, w2, p 2)',
         cfg_options=['model.bbox_head.loss_iou.loss_weight=1.0', f'{B}.loss_weight=2.0',
                      f'{B}.power=2.0']),
]
