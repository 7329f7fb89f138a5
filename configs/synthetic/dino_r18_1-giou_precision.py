# DINO on the precision track, mmdet's box terms: L1 + GIoU loss, FocalLoss + L1 + GIoU match
# cost (./_base_/models/dino_r18.py), DINO's optimiser (./_base_/precision_track_detr.py). The
# baseline row of configs/studies/beyond-anchors_dino.py.
_base_ = ['./_base_/models/dino_r18.py', './_base_/precision_track_detr.py']
