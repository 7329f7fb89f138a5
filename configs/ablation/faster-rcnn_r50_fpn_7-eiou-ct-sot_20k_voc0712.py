# Table I row 7: + SOT (Eq. 28): each box's gradient scaled by its extended union in units of
# its proposal, switched on for every mmdet_eiou.EIoULoss by the hook (which also logs).
_base_ = './faster-rcnn_r50_fpn_6-eiou-ct_20k_voc0712.py'
custom_hooks = [dict(type='mmdet_eiou.SOTHook')]
