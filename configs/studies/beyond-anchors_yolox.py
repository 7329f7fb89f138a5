# The YOLOX rows of the beyond-anchors study: mmdet's IoULoss(mode='square') against EIoU p = 1
# on the CPU-sized YOLOX of the census (SimOTA assignment), paired seeds, both rows at mmdet's
# weight (the same tuning budget: none), 500 iterations as DINO's rows, scored on val (test
# stays untouched). The census found SimOTA's pairs almost never apart (0.02 % over 500
# iterations, none before iteration 250), so the expected answer is no difference: these rows
# check that EIoU costs nothing where it reduces to IoU.
#   python tools/ablation.py --study configs/studies/beyond-anchors_yolox.py --jobs 2
name = 'beyond anchors, YOLOX'
store = 'docs/beyond-anchors/runs'
report = 'docs/beyond-anchors/yolox'
splits = ['val']
seeds = [0, 1, 2]
max_iters = 500

C = 'configs/synthetic/yolox_nano_'
rows = [dict(config=C + '1-iou_precision.py', label="1 IoU (mmdet's, mode='square')"),
        dict(config=C + '2-eiou_precision.py', label='2 EIoU p=1')]
