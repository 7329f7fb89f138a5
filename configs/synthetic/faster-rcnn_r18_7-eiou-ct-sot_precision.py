# The change of ./faster-rcnn_r18_7-eiou-ct-sot_synthetic.py,
# on the precision track.
_base_ = './faster-rcnn_r18_6-eiou-ct_precision.py'
custom_hooks = [dict(type='mmdet_eiou.SOTHook')]
