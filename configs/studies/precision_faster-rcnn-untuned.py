# Faster R-CNN rows 1 and 8 at the synthetic rows' settings, before the tuning of
# configs/studies/precision_faster-rcnn.py (seeds 0 and 1): row 1 with Smooth-L1 beta 1, row 8
# with KL weight 1, scored with iou_guided fusion 0.5 as it ran and with none (the choice
# made later). Also the first box-loss weight points, which were scored on test as well.
name = 'precision track, Faster R-CNN before its tuning'
store = 'docs/precision/runs'
report = 'docs/precision/{split}/faster-rcnn-untuned'
splits = ['val', 'test']
seeds = [0, 1]

C = 'configs/synthetic/faster-rcnn_r18_'
R1 = C + '1-smoothl1_precision.py'
R8 = C + '8-eiou-ct-sot-iouhead_precision.py'
B = 'model.roi_head.bbox_head.loss_bbox'
K = 'model.roi_head.bbox_head.loss_iou.loss_weight'
baseline = 'faster-rcnn_r18_1-smoothl1_precision_b1'
rows = [
    dict(config=R1, tag='b1', label='1 Smooth-L1 (beta 1)', cfg_options=[f'{B}.beta=1.0']),
    dict(config=R8, tag='kl1-ig-a0.5', from_tag='kl1', label='8 (KL 1), fusion 0.5',
         test_options=['model.test_cfg.rcnn.iou_guided.mode=fusion',
                       'model.test_cfg.rcnn.iou_guided.alpha=0.5']),
    dict(config=R8, tag='kl1', label='8 (KL 1), none', cfg_options=[f'{K}=1.0']),
    dict(config=R1, tag='b1-w0.5', label='1 (beta 1, w0.5)', seeds=[0],
         cfg_options=[f'{B}.beta=1.0', f'{B}.loss_weight=0.5']),
    dict(config=R1, tag='b1-w2', label='1 (beta 1, w2)', seeds=[0],
         cfg_options=[f'{B}.beta=1.0', f'{B}.loss_weight=2.0']),
    dict(config=C + '3-giou_precision.py', tag='w10', label='3 GIoU (w10)', seeds=[0],
         cfg_options=[f'{B}.loss_weight=10.0']),
]
