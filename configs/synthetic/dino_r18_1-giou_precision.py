# DINO on the precision track, mmdet's box terms: L1 + GIoU loss, FocalLoss + L1 + GIoU match
# cost (./_base_/models/dino_r18.py). The baseline row of configs/studies/beyond-anchors_dino.py.
_base_ = ['./_base_/models/dino_r18.py', './_base_/precision_track.py']

# mmdet's DINO optimiser (AdamW, gradient clipping at 0.1) at the lr of its Deformable DETR
# (2e-4), without the backbone's 0.1 lr multiplier (ours is trained from scratch).
optim_wrapper = dict(
    optimizer=dict(lr=0.0002, weight_decay=0.0001), clip_grad=dict(max_norm=0.1, norm_type=2))
