# EIoU where boxes start apart: DINO on the precision track (issue "EIoU beyond anchors"),
# mmdet's GIoU (loss and match cost) against EIoU p = 1 (loss and cost), the paper's loss
# (EIoU + CT + SOT) and the flip-invariant EIoU, paired seeds, every row at mmdet's weights
# (the same tuning budget for every row: none). Sized by the census (docs/census/results.md):
# DINO's disjoint pairs occur in its first few hundred iterations, so every row trains 500
# iterations (the census budget), about 16 min a run on one core (two side by side), and is
# scored on val (nothing is chosen here; test stays untouched for a final comparison).
#   python tools/ablation.py --study configs/studies/beyond-anchors_dino.py --jobs 2
name = 'beyond anchors, DINO'
store = 'docs/beyond-anchors/runs'
report = 'docs/beyond-anchors/dino'
splits = ['val']
seeds = [0, 1, 2]
max_iters = 500

C = 'configs/synthetic/dino_r18_'
rows = [
    dict(config=C + '1-giou_precision.py', label="1 GIoU loss + cost (mmdet's)"),
    dict(config=C + '2-eiou_precision.py', label='2 EIoU p=1 loss + cost'),
    dict(config=C + '3-eiou-ct-sot_precision.py', label='3 EIoU + CT + SOT'),
    dict(config=C + '4-symmetric_precision.py', label='4 flip-invariant EIoU p=1'),
]
steps = [('dino_r18_3-eiou-ct-sot_precision', 'dino_r18_2-eiou_precision'),
         ('dino_r18_4-symmetric_precision', 'dino_r18_2-eiou_precision')]
