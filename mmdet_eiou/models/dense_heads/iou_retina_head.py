"""``mmdet_eiou.IoURetinaHead``: RetinaHead with a one-conv IoU branch (Sec. III-E)."""
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
from mmdet.models.dense_heads import RetinaHead
from mmdet.models.utils import images_to_levels, multi_apply
from mmdet.structures.bbox import cat_boxes, get_box_tensor, get_box_wh, scale_boxes
from mmdet.utils import ConfigType, InstanceList, OptInstanceList
from mmengine.config import ConfigDict
from mmengine.structures import InstanceData
from torch import Tensor

from mmdet_eiou.registry import MODELS
from ..layers import check_iou_guided_cfg, fuse_scores, iou_guided_postprocess
from ..utils import check_decoded_boxes, iou_targets, takes_priors


@MODELS.register_module()
class IoURetinaHead(RetinaHead):
    """RetinaHead plus one 3x3 conv on the regression tower predicting, per anchor, the IoU of
    its regressed box with the ground truth (Eq. 31-32); the anchors are passed to a box loss
    that takes ``priors`` (``mmdet_eiou.EIoULoss``: SOT in anchor units, Algorithm 2).

    The IoU branch is trained on positive anchors with ``loss_iou`` (sigmoid + KL) against the
    detached IoU of the decoded prediction and its target. Inference follows mmdet's
    score-factor plumbing (as ATSS/PAA): the sigmoid of the IoU branch arrives in
    ``_bbox_post_process`` as ``score_factors``, where ``test_cfg.iou_guided`` decides its use.
    With ``loss_iou=None`` there is no IoU branch: ``RetinaHead`` whose box loss sees the
    anchors (Table II's rows without the IoU head); :class:`PriorsToLossRetinaHead` is that
    head under its own name.

    Args:
        loss_iou (dict, optional): config of the IoU loss; ``None``: no IoU branch.
        *args, **kwargs: those of ``RetinaHead``.
    """

    def __init__(self,
                 *args,
                 loss_iou: Optional[ConfigType] = dict(
                     type='mmdet_eiou.IoUKLLoss', loss_weight=1.0),
                 **kwargs) -> None:
        self.with_iou = loss_iou is not None  # before super().__init__, which builds layers
        super().__init__(*args, **kwargs)
        check_decoded_boxes(self.loss_bbox, self.reg_decoded_bbox)
        if self.with_iou:
            self.loss_iou = MODELS.build(loss_iou)

    def _init_layers(self) -> None:
        super()._init_layers()
        if self.with_iou:
            # Covered by RetinaHead's init_cfg (Normal std=0.01 on every Conv2d).
            self.retina_iou = nn.Conv2d(self.feat_channels, self.num_base_priors, 3, padding=1)

    def forward_single(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Return ``cls_score``, ``bbox_pred`` and (with the IoU branch) ``iou_pred`` (logits,
        one per anchor)."""
        if not self.with_iou:
            return super().forward_single(x)
        cls_feat = x
        reg_feat = x
        for cls_conv in self.cls_convs:
            cls_feat = cls_conv(cls_feat)
        for reg_conv in self.reg_convs:
            reg_feat = reg_conv(reg_feat)
        return self.retina_cls(cls_feat), self.retina_reg(reg_feat), self.retina_iou(reg_feat)

    def loss_by_feat(self, cls_scores: List[Tensor], bbox_preds: List[Tensor], *args,
                     **kwargs) -> dict:
        """``AnchorHead.loss_by_feat`` plus ``loss_iou``: the arguments are ``forward``'s
        outputs (with or without ``iou_preds``), then ``batch_gt_instances``,
        ``batch_img_metas`` and ``batch_gt_instances_ignore``."""
        if not self.with_iou:
            args = (None, ) + args
        return self._loss_by_feat(cls_scores, bbox_preds, *args, **kwargs)

    def _loss_by_feat(self,
                      cls_scores: List[Tensor],
                      bbox_preds: List[Tensor],
                      iou_preds: Optional[List[Tensor]],
                      batch_gt_instances: InstanceList,
                      batch_img_metas: List[dict],
                      batch_gt_instances_ignore: OptInstanceList = None) -> dict:
        featmap_sizes = [featmap.size()[-2:] for featmap in cls_scores]
        anchor_list, valid_flag_list = self.get_anchors(
            featmap_sizes, batch_img_metas, device=cls_scores[0].device)
        (labels_list, label_weights_list, bbox_targets_list, bbox_weights_list,
         avg_factor) = self.get_targets(
             anchor_list, valid_flag_list, batch_gt_instances, batch_img_metas,
             batch_gt_instances_ignore=batch_gt_instances_ignore)
        num_level_anchors = [anchors.size(0) for anchors in anchor_list[0]]
        all_anchor_list = images_to_levels([cat_boxes(a) for a in anchor_list], num_level_anchors)
        if iou_preds is None:
            iou_preds = [None] * len(cls_scores)
        losses_cls, losses_bbox, losses_iou = multi_apply(
            self._loss_by_feat_single, cls_scores, bbox_preds, iou_preds, all_anchor_list,
            labels_list, label_weights_list, bbox_targets_list, bbox_weights_list,
            avg_factor=avg_factor)
        losses = dict(loss_cls=losses_cls, loss_bbox=losses_bbox)
        if self.with_iou:
            losses['loss_iou'] = losses_iou
        return losses

    def _loss_by_feat_single(self, cls_score: Tensor, bbox_pred: Tensor,
                             iou_pred: Optional[Tensor], anchors: Tensor, labels: Tensor,
                             label_weights: Tensor, bbox_targets: Tensor, bbox_weights: Tensor,
                             avg_factor: int) -> tuple:
        """Losses of one level: classification and box as ``AnchorHead`` (the box loss also
        gets the anchors when it takes ``priors``), plus IoU."""
        labels = labels.reshape(-1)
        cls_score = cls_score.permute(0, 2, 3, 1).reshape(-1, self.cls_out_channels)
        loss_cls = self.loss_cls(
            cls_score, labels, label_weights.reshape(-1), avg_factor=avg_factor)

        anchors = anchors.reshape(-1, anchors.size(-1))
        bbox_targets = bbox_targets.reshape(-1, bbox_targets.size(-1))
        bbox_weights = bbox_weights.reshape(-1, bbox_weights.size(-1))
        bbox_pred = bbox_pred.permute(0, 2, 3, 1).reshape(-1, self.bbox_coder.encode_size)
        if self.reg_decoded_bbox:
            bbox_pred = get_box_tensor(self.bbox_coder.decode(anchors, bbox_pred))
        loss_kwargs = dict(priors=anchors) if takes_priors(self.loss_bbox) else {}
        loss_bbox = self.loss_bbox(
            bbox_pred, bbox_targets, bbox_weights, avg_factor=avg_factor, **loss_kwargs)
        if iou_pred is None:
            return loss_cls, loss_bbox, None

        iou_pred = iou_pred.permute(0, 2, 3, 1).reshape(-1)
        pos = ((labels >= 0) & (labels < self.num_classes)).nonzero(as_tuple=True)[0]
        iou_target = iou_targets(self.bbox_coder, anchors[pos], bbox_pred[pos],
                                 bbox_targets[pos], self.reg_decoded_bbox)
        loss_iou = self.loss_iou(iou_pred[pos], iou_target, avg_factor=avg_factor)
        return loss_cls, loss_bbox, loss_iou

    def _bbox_post_process(self,
                           results: InstanceData,
                           cfg: ConfigDict,
                           rescale: bool = False,
                           with_nms: bool = True,
                           img_meta: Optional[dict] = None) -> InstanceData:
        """Rescale, drop tiny boxes and run the NMS chosen by ``cfg.iou_guided`` with the
        predicted IoU (``results.score_factors``)."""
        if not self.with_iou:
            return super()._bbox_post_process(results, cfg, rescale, with_nms, img_meta)
        iou_guided = cfg.get('iou_guided')  # checked by the NMS below
        if rescale:
            results.bboxes = scale_boxes(results.bboxes, [1 / s for s in img_meta['scale_factor']])
        ious = results.pop('score_factors')
        if cfg.get('min_bbox_size', -1) >= 0:
            w, h = get_box_wh(results.bboxes)
            valid = (w > cfg.min_bbox_size) & (h > cfg.min_bbox_size)
            results, ious = results[valid], ious[valid]
        if not with_nms or results.bboxes.numel() == 0:
            # test-time augmentation merges before its own NMS: hand over fused scores
            iou_guided = check_iou_guided_cfg(iou_guided)
            if iou_guided['mode'] == 'fusion':
                results.scores = fuse_scores(results.scores, ious, iou_guided['alpha'])
            return results
        dets, keep = iou_guided_postprocess(
            get_box_tensor(results.bboxes), results.scores, ious, results.labels, cfg.nms,
            iou_guided)
        results = results[keep]
        results.scores = dets[:, -1]
        return results[:cfg.max_per_img]


@MODELS.register_module()
class PriorsToLossRetinaHead(IoURetinaHead):
    """``RetinaHead`` that hands its anchors to a box loss that takes ``priors``
    (``mmdet_eiou.EIoULoss``: SOT in anchor units, Algorithm 2), without an IoU branch:
    ``IoURetinaHead`` with ``loss_iou=None`` (Table II's rows without the IoU head, as
    configs/ablation write it), named for what it does. Takes the arguments of
    ``RetinaHead``."""

    def __init__(self, *args, **kwargs) -> None:
        if kwargs.pop('loss_iou', None) is not None:
            raise ValueError('PriorsToLossRetinaHead has no IoU branch: for one, use '
                             'mmdet_eiou.IoURetinaHead')
        super().__init__(*args, loss_iou=None, **kwargs)
