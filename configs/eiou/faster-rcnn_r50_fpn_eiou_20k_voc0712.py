# The full method (EIoU + CT + SOT + IoU head) on the paper's VOC protocol: Table I row 8.
_base_ = '../ablation/faster-rcnn_r50_fpn_8-eiou-ct-sot-iouhead_20k_voc0712.py'
