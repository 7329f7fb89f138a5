# YOLOX on the precision track with mmdet's box loss, IoULoss(mode='square')
# (./_base_/models/yolox_nano.py; the synthetic base's AdamW schedule).
_base_ = ['./_base_/models/yolox_nano.py', './_base_/precision_track.py']
