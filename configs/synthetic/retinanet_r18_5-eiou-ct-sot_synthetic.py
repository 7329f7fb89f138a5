# + SOT for RetinaNet on the synthetic set (the change of ../ablation/retinanet_*_5-*).
_base_ = './retinanet_r18_4-eiou-ct_synthetic.py'
custom_hooks = [dict(type='mmdet_eiou.SOTHook')]
