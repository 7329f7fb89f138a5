# Table I row 7 on the synthetic set (the change of ../ablation/*_7-eiou-ct-sot_*).
_base_ = './faster-rcnn_r18_6-eiou-ct_synthetic.py'
custom_hooks = [dict(type='mmdet_eiou.SOTHook')]
