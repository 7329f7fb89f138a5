# The full method (EIoU + CT + SOT + IoU branch) for RetinaNet on the paper's VOC protocol.
_base_ = '../ablation/retinanet_r50_fpn_6-eiou-ct-sot-iouhead_20k_voc0712.py'
