# The precision track, RetinaNet (Table II): every row at its chosen settings, test over
# paired seeds, and the tuning that chose them on val (seed 0), with the same budget per
# hyper-parameter as Faster R-CNN's (configs/studies/precision_faster-rcnn.py). Results are
# recorded in `store`; `python tools/ablation.py --study configs/studies/precision_retinanet.py`
# runs what is missing and writes the reports (`--report-only`: from the records alone).
#
# RetinaNet needed a schedule of its own first: at the synthetic rows' 1000 iterations (AdamW
# lr 1e-3) it stays recognition-limited, so the schedule was chosen on row 1 alone, on val,
# at the synthetic rows' loss settings (UNTUNED below; their three-seed study is
# configs/studies/precision_retinanet-untuned.py). Then each loss hyper-parameter, one step
# either side of the untuned setting, all from that setting; points ran two at a time (one
# thread each) and were scored alone. A point without a tag is the row as configured.
name = 'precision track, RetinaNet'
store = 'docs/precision/runs'
report = 'docs/precision/{split}/retinanet'
splits = ['val', 'test']
seeds = [0, 1, 2, 3, 4]

C = 'configs/synthetic/retinanet_r18_'
R1 = C + '1-smoothl1_precision.py'
R2 = C + '2-giou_precision.py'
R6 = C + '6-eiou-ct-sot-iouhead_precision.py'
B = 'model.bbox_head.loss_bbox'  # the box loss
W = B + '.loss_weight'
K = 'model.bbox_head.loss_iou.loss_weight'  # the IoU head's KL weight
G = 'model.test_cfg.iou_guided'  # how the IoU head guides NMS (test time)
LR = 'optim_wrapper.optimizer.lr'
R1_UNTUNED = [f'{B}.beta=0.11', f'{W}=1.0']
R6_UNTUNED = [f'{K}=1.0', f'{W}=2.0', f'{B}.power=2.0']

baseline = 'retinanet_r18_1-smoothl1_precision'
rows = [
    dict(config=R1, label='1 Smooth-L1 (beta 1/9, w4)'),
    dict(config=R2, label='2 GIoU (w8)', seeds=[0, 1, 2]),
    dict(config=C + '3-ciou_precision.py', label='3 CIoU (w8)', seeds=[0, 1, 2]),
    dict(config=C + '4-eiou-ct_precision.py', label='4 EIoU + CT (p 1.5, w4)', seeds=[0, 1, 2]),
    dict(config=C + '5-eiou-ct-sot_precision.py', label='5 EIoU + CT + SOT', seeds=[0, 1, 2]),
    dict(config=R6, label='6 full method (+ IoU head)'),
]

# Table II one part at a time: each step against the row before it (paired seeds).
N = 'retinanet_r18_'
steps = [(N + a + '_precision', N + b + '_precision') for a, b in (
    ('2-giou', '1-smoothl1'), ('3-ciou', '2-giou'), ('4-eiou-ct', '2-giou'),
    ('5-eiou-ct-sot', '4-eiou-ct'), ('6-eiou-ct-sot-iouhead', '5-eiou-ct-sot'),
    ('6-eiou-ct-sot-iouhead', '2-giou'))]


def schedule(iters, lr, *extra, threads=1):  # a schedule point of row 1, untuned loss
    return dict(tag=f'it{iters}-lr{lr}', max_iters=iters, threads=threads,
                cfg_options=[f'{LR}={lr}', *R1_UNTUNED, *extra])


untuned1 = dict(tag='b0.11-w1', cfg_options=R1_UNTUNED)
untuned6 = dict(tag='kl1-w2-p2', cfg_options=R6_UNTUNED)


def r1(beta, weight, beta_name=None):  # a loss point of row 1; tags name the values (%g)
    return dict(tag=f'b{beta_name or beta:g}-w{weight:g}',
                cfg_options=[f'{B}.beta={beta}', f'{W}={weight}'])


def r6(kl, weight, power):  # a loss point of row 6
    return dict(tag=f'kl{kl:g}-w{weight:g}-p{power:g}',
                cfg_options=[f'{K}={kl}', f'{W}={weight}', f'{B}.power={power}'])


def guided(tag, *options):  # a test-time point on the checkpoint of row 6, untuned
    return dict(tag=f'kl1-w2-p2-{tag}', from_tag='kl1-w2-p2',
                test_options=[f'{G}.{o}' for o in options])


tuning = [
    dict(config=R6, param='row 6 at the synthetic schedule (1000 iterations, lr 1e-3)',
         why='recognition-limited: a schedule of its own first',
         points=[dict(value='fusion 0.5', tag='it1000-lr0.001', max_iters=1000,
                      cfg_options=[f'{LR}=0.001', *R6_UNTUNED]),
                 dict(value='none', tag='it1000-lr0.001-ig-none', from_tag='it1000-lr0.001',
                      test_options=[f'{G}.mode=none'])]),
    dict(config=R1, param='schedule (row 1, untuned loss; AdamW)', chosen='3000 it, lr 5e-4',
         why='the highest val AP and AP50; lr 4e-3 diverged',
         points=[dict(value='1000 it, lr 1e-3', **schedule(1000, 0.001, threads=None)),
                 dict(value='1500 it, lr 4e-3', **schedule(1500, 0.004)),
                 dict(value='1500 it, lr 2e-3', **schedule(1500, 0.002)),
                 dict(value='1500 it, lr 5e-4', **schedule(1500, 0.0005)),
                 dict(value='1500 it, lr 2.5e-4', **schedule(1500, 0.00025)),
                 dict(value='1500 it, lr 5e-4, clip 35',
                      **dict(schedule(1500, 0.0005, 'optim_wrapper.clip_grad.max_norm=35'),
                             tag='it1500-lr0.0005-clip35')),
                 dict(value='3000 it, lr 5e-4', threads=1, **untuned1)]),
    dict(config=R6, param='iou_guided (row 6, untuned; test time, one checkpoint)',
         chosen='fusion 0.5', why='val AP (tied with 0.75)',
         points=[dict(value='none', **guided('ig-none', 'mode=none')),
                 dict(value='fusion 0.25', **guided('ig-a0.25', 'mode=fusion', 'alpha=0.25')),
                 dict(value='fusion 0.5', **untuned6),
                 dict(value='fusion 0.75', **guided('ig-a0.75', 'mode=fusion', 'alpha=0.75')),
                 dict(value='fusion 1', **guided('ig-a1', 'mode=fusion', 'alpha=1.0')),
                 dict(value='nms', **guided('ig-nms', 'mode=nms'))]),
    dict(config=R1, param='Smooth-L1 beta (row 1, weight 1)', chosen='1/9', why='val AP',
         points=[dict(value='1', **r1(1.0, 1.0)), dict(value='1/3', **r1(0.3333, 1.0, 0.33)),
                 dict(value='1/9', **untuned1)]),
    dict(config=R1, param='Smooth-L1 weight (row 1, beta 1/9)', chosen='4',
         why='val AP: 2 at first, then one step past the grid\'s edge',
         points=[dict(value='0.5', **r1(0.11, 0.5)), dict(value='1', **untuned1),
                 dict(value='2', **r1(0.11, 2.0)), dict(value='4', **r1(0.11, 4.0))]),
    dict(config=R6, param='EIoU weight (row 6, KL 1, p 2)', chosen='4', why='val AP',
         points=[dict(value='1', **r6(1.0, 1.0, 2.0)), dict(value='2', **untuned6),
                 dict(value='4', **r6(1.0, 4.0, 2.0))]),
    dict(config=R6, param="CT's p (row 6, KL 1, weight 2)", chosen='1.5', why='val AP',
         points=[dict(value='1.5', **r6(1.0, 2.0, 1.5)), dict(value='2', **untuned6),
                 dict(value='3', **r6(1.0, 2.0, 3.0))]),
    dict(config=R6, param='IoU-head KL weight (row 6, weight 2, p 2)', chosen='2', why='val AP',
         points=[dict(value='0.5', **r6(0.5, 2.0, 2.0)), dict(value='1', **untuned6),
                 dict(value='2', **r6(2.0, 2.0, 2.0))]),
    dict(config=R6, param="row 6's three choices together", chosen='KL 2, w4, p 1.5',
         why='val AP, well above each choice alone',
         points=[dict(value='KL 1, w2, p 2', **untuned6),
                 dict(value='KL 2, w4, p 1.5', **r6(2.0, 4.0, 1.5))]),
    dict(config=R2, param="GIoU weight (row 2; row 3 inherits it; mmdet's default 2)",
         chosen='8', why='val AP (one step past the grid\'s edge, as row 1\'s weight had)',
         points=[dict(value=str(w), tag=f'w{w}', cfg_options=[f'{W}={w}.0'])
                 for w in (1, 2, 4, 8)]),
]
