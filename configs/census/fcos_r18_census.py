# Census of disjoint positive pairs (eiou_lab.DisjointCensusHook): FCOS with EIoU p = 1 in
# place of its GIoU loss. Its positive points lie inside their ground truth and its boxes are
# distances from that point: a disjoint pair would need a negative distance, which its
# exp/ReLU-decoded regression cannot give; the census checks that.
_base_ = ['../synthetic/_base_/models/fcos_r18.py', '../synthetic/_base_/precision_track.py']
model = dict(
    bbox_head=dict(
        loss_bbox=dict(_delete_=True, type='mmdet_eiou.EIoULoss', power=1.0, loss_weight=1.0)))
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook'), dict(type='eiou_lab.DisjointCensusHook')]
