# The change of ./retinanet_r18_5-eiou-ct-sot_synthetic.py,
# on the precision track.
_base_ = './retinanet_r18_4-eiou-ct_precision.py'
custom_hooks = [dict(type='mmdet_eiou.SOTHook')]
