# EIoU where boxes start apart, on DETR: mmdet's GIoU (loss and match cost) against its EIoU
# variant (tools/to_eiou.py --power 1: EIoU p = 1 in the loss and the cost), paired seeds, both
# rows at mmdet's weights (the same tuning budget: none), scored on val (test stays untouched).
# Sized by the census (docs/census/results.md: 40.1 % of its matched pairs apart over iterations
# 1-50, 26.4 % over 51-250, 9.7 % over 251-500): 500 iterations, as DINO's rows. The same A/B in
# one command:
#   python tools/ab_eiou.py configs/synthetic/detr_r18_1-giou_precision.py --power 1 \
#     --seeds 0 1 2 --jobs 2
# (this file records it in the store and reports it in docs/):
#   python tools/ablation.py --study configs/studies/beyond-anchors_detr.py --jobs 2
name = 'beyond anchors, DETR'
store = 'docs/beyond-anchors/runs'
report = 'docs/beyond-anchors/detr'
splits = ['val']
seeds = [0, 1, 2]
max_iters = 500

C = 'configs/synthetic/detr_r18_'
rows = [dict(config=C + '1-giou_precision.py', label="1 GIoU loss + cost (mmdet's)"),
        dict(config=C + '2-eiou_precision.py', label='2 EIoU p=1 loss + cost (to_eiou)')]
