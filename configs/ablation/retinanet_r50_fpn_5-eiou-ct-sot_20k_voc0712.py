# Table II, ours step by step: + SOT.
_base_ = './retinanet_r50_fpn_4-eiou-ct_20k_voc0712.py'
custom_hooks = [dict(type='mmdet_eiou.SOTHook')]
