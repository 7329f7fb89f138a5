# The precision track's headline rows trained in float32 and with `--amp` (bfloat16 autocast on
# a CPU, float16 on a GPU), scored alike on test: losses, AP, training s/iter and inference
# ms/img, so that the method's overhead over its baseline and AMP's effect are measured on the
# device the study runs on. `bash tools/gpu_end_to_end.sh` runs it on a GPU at 300 iterations
# a row; `--device cpu` is its dry run here. No store: results go to the run's --out.
name = 'AMP and the method on the device'
splits = ['test']
seeds = [0]
max_iters = 300

C = 'configs/synthetic/'
FR1 = C + 'faster-rcnn_r18_1-smoothl1_precision.py'
FR8 = C + 'faster-rcnn_r18_8-eiou-ct-sot-iouhead_precision.py'
RE1 = C + 'retinanet_r18_1-smoothl1_precision.py'
RE6 = C + 'retinanet_r18_6-eiou-ct-sot-iouhead_precision.py'
AMP = dict(tag='amp', train_args=['--amp'])
rows = [
    dict(config=FR1, label='Faster R-CNN 1 Smooth-L1'),
    dict(config=FR1, label='Faster R-CNN 1 Smooth-L1, amp', **AMP),
    dict(config=FR8, label='Faster R-CNN 8 full method'),
    dict(config=FR8, label='Faster R-CNN 8 full method, amp', **AMP),
    dict(config=RE1, label='RetinaNet 1 Smooth-L1'),
    dict(config=RE1, label='RetinaNet 1 Smooth-L1, amp', **AMP),
    dict(config=RE6, label='RetinaNet 6 full method'),
    dict(config=RE6, label='RetinaNet 6 full method, amp', **AMP),
]
baseline = 'faster-rcnn_r18_1-smoothl1_precision'
F, R = 'faster-rcnn_r18_', 'retinanet_r18_'
names = dict(fr1=F + '1-smoothl1_precision', fr8=F + '8-eiou-ct-sot-iouhead_precision',
             re1=R + '1-smoothl1_precision', re6=R + '6-eiou-ct-sot-iouhead_precision')
steps = [(names['fr8'], names['fr1']), (names['fr8'] + '_amp', names['fr1'] + '_amp'),
         (names['re6'], names['re1']), (names['re6'] + '_amp', names['re1'] + '_amp'),
         (names['fr1'] + '_amp', names['fr1']), (names['fr8'] + '_amp', names['fr8']),
         (names['re1'] + '_amp', names['re1']), (names['re6'] + '_amp', names['re6'])]
