# DETR on the precision track, mmdet's box terms: L1 + GIoU loss, classification + L1 + GIoU
# match cost (./_base_/models/detr_r18.py), the DETR-style optimiser
# (./_base_/precision_track_detr.py). The baseline row of configs/studies/beyond-anchors_detr.py;
# its EIoU row is this config through tools/to_eiou.py.
_base_ = ['./_base_/models/detr_r18.py', './_base_/precision_track_detr.py']
