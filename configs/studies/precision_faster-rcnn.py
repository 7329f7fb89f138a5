# The precision track, Faster R-CNN (Table I): every row at its chosen settings, test over
# paired seeds, and the tuning that chose those settings on val (seed 0). Results are recorded
# in `store`; `python tools/ablation.py --study configs/studies/precision_faster-rcnn.py`
# runs what is missing and writes the reports (`--report-only`: from the records alone).
#
# Tuning: one coordinate at a time from the synthetic rows' settings, chosen by val AP, in the
# order listed (each later sweep ran at the choices before it; the KL weight last), the same
# three points per hyper-parameter for baseline and method. A point without a tag is the row
# as configured (its seed 0). Tags name absolute settings (b1 = Smooth-L1 beta 1, w20 =
# box-loss weight 20, ...), so a record stays true when a row's chosen value changes.
name = 'precision track, Faster R-CNN'
store = 'docs/precision/runs'
report = 'docs/precision/{split}/faster-rcnn'
splits = ['val', 'test']
seeds = [0, 1, 2, 3, 4]

C = 'configs/synthetic/faster-rcnn_r18_'
R1 = C + '1-smoothl1_precision.py'
R3 = C + '3-giou_precision.py'
R8 = C + '8-eiou-ct-sot-iouhead_precision.py'
B = 'model.roi_head.bbox_head.loss_bbox'  # the box loss
K = 'model.roi_head.bbox_head.loss_iou.loss_weight'  # the IoU head's KL weight
G = 'model.test_cfg.rcnn.iou_guided'  # how the IoU head guides NMS (test time)

baseline = 'faster-rcnn_r18_1-smoothl1_precision'
rows = [
    dict(config=R1, label='1 Smooth-L1 (beta 1/9)'),
    dict(config=C + '2-iou_precision.py', label='2 -ln IoU (mmdet IoULoss)', seeds=[0, 1]),
    dict(config=C + 'x-iou-linear_precision.py', label='x 1 - IoU', seeds=[0, 1]),
    dict(config=R3, label='3 GIoU (w5)', seeds=[0, 1, 2]),
    dict(config=C + '4-smoothl1-iouhead_precision.py', label='4 Smooth-L1 + IoU head',
         seeds=[0, 1]),
    dict(config=C + '5-eiou_precision.py', label='5 EIoU', seeds=[0, 1, 2]),
    dict(config=C + '6-eiou-ct_precision.py', label='6 EIoU + CT', seeds=[0, 1]),
    dict(config=C + '7-eiou-ct-sot_precision.py', label='7 EIoU + CT + SOT', seeds=[0, 1, 2]),
    dict(config=R8, label='8 full method (+ IoU head)'),
    dict(config=C + 'x-delta-coder_precision.py', label="x row 8, mmdet's delta coder",
         seeds=[0, 1]),
    dict(config=C + 'x-ciou_precision.py', label='x CIoU (w5)', seeds=[0, 1]),
    dict(config=C + 'x-mmdet-eiou_precision.py', label="x mmdet's EIoULoss", seeds=[0, 1]),
]
# Table I one part at a time: each step against the row before it (paired seeds).
N = 'faster-rcnn_r18_'
steps = [(N + a + '_precision', N + b + '_precision') for a, b in (
    ('3-giou', '1-smoothl1'), ('5-eiou', '3-giou'), ('6-eiou-ct', '5-eiou'),
    ('7-eiou-ct-sot', '6-eiou-ct'), ('7-eiou-ct-sot', '5-eiou'),
    ('8-eiou-ct-sot-iouhead', '7-eiou-ct-sot'), ('x-ciou', '3-giou'),
    ('x-delta-coder', '8-eiou-ct-sot-iouhead'))]

b1 = dict(tag='b1', cfg_options=[f'{B}.beta=1.0'])
kl1 = dict(tag='kl1', cfg_options=[f'{K}=1.0'])


def guided(tag, *options):  # a test-time point on the checkpoint of kl1
    return dict(tag=f'kl1-{tag}', from_tag='kl1', test_options=[f'{G}.{o}' for o in options])


tuning = [
    dict(config=R1, param='box-loss weight (row 1, beta 1)', chosen='1', why='val AP',
         points=[dict(value='0.5', tag='b1-w0.5', cfg_options=[f'{B}.beta=1.0',
                                                             f'{B}.loss_weight=0.5']),
                 dict(value='1', **b1),
                 dict(value='2', tag='b1-w2', cfg_options=[f'{B}.beta=1.0',
                                                          f'{B}.loss_weight=2.0'])]),
    dict(config=R8, param='box-loss weight (row 8, KL 1)', chosen='10', why='val AP',
         points=[dict(value='5', tag='kl1-w5', cfg_options=[f'{K}=1.0', f'{B}.loss_weight=5.0']),
                 dict(value='10', **kl1),
                 dict(value='20', tag='kl1-w20', cfg_options=[f'{K}=1.0',
                                                             f'{B}.loss_weight=20.0'])]),
    dict(config=R8, param='iou_guided (row 8, KL 1; test time, one checkpoint)', chosen='none',
         why='val AP; the IoU head ranks no better than the class score',
         points=[dict(value='none', **kl1),
                 dict(value='fusion 0.25', **guided('ig-a0.25', 'mode=fusion', 'alpha=0.25')),
                 dict(value='fusion 0.5', **guided('ig-a0.5', 'mode=fusion', 'alpha=0.5')),
                 dict(value='fusion 0.75', **guided('ig-a0.75', 'mode=fusion', 'alpha=0.75')),
                 dict(value='fusion 1', **guided('ig-a1', 'mode=fusion', 'alpha=1.0')),
                 dict(value='nms', **guided('ig-nms', 'mode=nms'))]),
    dict(config=R1, param='Smooth-L1 beta (row 1)', chosen='1/9',
         why='val AP (at the grid\'s edge)',
         points=[dict(value='1/9'),
                 dict(value='1/3', tag='b0.33', cfg_options=[f'{B}.beta=0.3333']),
                 dict(value='1', **b1)]),
    dict(config=R8, param="CT's p (row 8, KL 1)", chosen='2', why='val AP',
         points=[dict(value='1.5', tag='kl1-p1.5', cfg_options=[f'{K}=1.0', f'{B}.power=1.5']),
                 dict(value='2', **kl1),
                 dict(value='3', tag='kl1-p3', cfg_options=[f'{K}=1.0', f'{B}.power=3.0'])]),
    dict(config=R8, param='IoU-head KL weight (row 8)', chosen='2',
         why='val AP (at the grid\'s edge)',
         points=[dict(value='0.5', tag='kl0.5', cfg_options=[f'{K}=0.5']),
                 dict(value='1', **kl1),
                 dict(value='2')]),
    dict(config=R3, param='GIoU weight (row 3; x-ciou inherits it)', chosen='5',
         why='val AP (at the grid\'s edge)',
         points=[dict(value='5'),
                 dict(value='10', tag='w10', cfg_options=[f'{B}.loss_weight=10.0']),
                 dict(value='20', tag='w20', cfg_options=[f'{B}.loss_weight=20.0'])]),
]
