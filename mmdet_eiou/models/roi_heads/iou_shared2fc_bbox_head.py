"""``mmdet_eiou.IoUShared2FCBBoxHead``: Faster R-CNN's Shared2FC box head plus the IoU head
(Sec. III-E), and the proposals passed to the box loss as SOT's unit (Sec. IV)."""
from typing import List, Optional, Tuple, Union

import torch
import torch.nn as nn
from mmdet.models.roi_heads.bbox_heads import Shared2FCBBoxHead
from mmdet.structures.bbox import get_box_tensor
from mmdet.utils import InstanceList
from mmengine.config import ConfigDict
from mmengine.structures import InstanceData
from torch import Tensor

from mmdet_eiou.registry import MODELS
from ..layers import multiclass_iou_guided_nms
from ..utils import check_decoded_boxes, iou_targets, takes_priors


@MODELS.register_module()
class IoUShared2FCBBoxHead(Shared2FCBBoxHead):
    """Drop-in for ``Shared2FCBBoxHead`` with one more linear layer that predicts the IoU of
    each regressed box (Eq. 31-32), and that passes each RoI (the proposal, its prior) to a box
    loss that takes ``priors`` (``mmdet_eiou.EIoULoss``: SOT in prior units, Algorithm 2).

    The IoU layer reads the shared fc features, as the classifier and the regressor do. It is
    trained on positive RoIs only, with ``loss_iou`` (sigmoid + KL) against ``q_g``: the IoU of
    the decoded regressed box with its ground truth, detached and in ``[0, 1]``, whatever the
    box loss (e.g. Smooth-L1 on deltas, Table I row 4). At test time
    ``test_cfg.rcnn.iou_guided`` says how the predicted IoU guides NMS (see
    :mod:`mmdet_eiou.models.layers.iou_guided_nms`). Needs ``mmdet_eiou.IoURoIHead``, which
    passes the third output around. With ``loss_iou=None`` there is no IoU layer: the head is
    ``Shared2FCBBoxHead`` whose box loss sees the priors (Table I rows 5-7), under mmdet's
    ``StandardRoIHead``; :class:`PriorsToLossShared2FCBBoxHead` is that head under its own name.

    Registered also as ``mmdet_eiou.IoUHead`` (its former name).

    Args:
        iou_class_agnostic (bool): one IoU per RoI (default) or one per class.
        loss_iou (dict, optional): config of the IoU loss; ``None``: no IoU head.
        *args, **kwargs: those of ``Shared2FCBBoxHead``.
    """

    def __init__(self,
                 *args,
                 iou_class_agnostic: bool = True,
                 loss_iou: Optional[ConfigDict] = dict(
                     type='mmdet_eiou.IoUKLLoss', loss_weight=1.0),
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        check_decoded_boxes(self.loss_bbox, self.reg_decoded_bbox)
        self.iou_class_agnostic = iou_class_agnostic
        self.with_iou = loss_iou is not None
        if self.with_iou:
            self.fc_iou = nn.Linear(self.shared_out_channels,
                                    1 if iou_class_agnostic else self.num_classes)
            self.loss_iou = MODELS.build(loss_iou)
            if self.init_cfg is not None:
                self.init_cfg.append(
                    dict(type='Normal', std=0.01, bias=0, override=dict(name='fc_iou')))

    def forward(self, x: Tensor) -> Union[Tuple[Tensor, Tensor], Tuple[Tensor, Tensor, Tensor]]:
        """Return ``cls_score``, ``bbox_pred`` and (with the IoU head) ``iou_pred`` (logits,
        ``(N, 1)`` or ``(N, C)``)."""
        if not self.with_iou:
            return super().forward(x)
        # The shared part of ConvFCBBoxHead.forward; the IoU layer needs its output.
        for conv in self.shared_convs:
            x = conv(x)
        if self.num_shared_fcs > 0:
            if self.with_avg_pool:
                x = self.avg_pool(x)
            x = x.flatten(1)
            for fc in self.shared_fcs:
                x = self.relu(fc(x))
        x_cls = self._branch(x, self.cls_convs, self.cls_fcs)
        x_reg = self._branch(x, self.reg_convs, self.reg_fcs)
        cls_score = self.fc_cls(x_cls) if self.with_cls else None
        bbox_pred = self.fc_reg(x_reg) if self.with_reg else None
        return cls_score, bbox_pred, self.fc_iou(x.flatten(1))

    def _branch(self, x: Tensor, convs: nn.ModuleList, fcs: nn.ModuleList) -> Tensor:
        for conv in convs:
            x = conv(x)
        if x.dim() > 2:
            if self.with_avg_pool:
                x = self.avg_pool(x)
            x = x.flatten(1)
        for fc in fcs:
            x = self.relu(fc(x))
        return x

    def loss_and_target(self,
                        cls_score: Tensor,
                        bbox_pred: Tensor,
                        rois: Tensor,
                        sampling_results: list,
                        rcnn_train_cfg: ConfigDict,
                        concat: bool = True,
                        reduction_override: Optional[str] = None,
                        iou_pred: Optional[Tensor] = None) -> dict:
        """``BBoxHead.loss_and_target`` plus the IoU loss on ``iou_pred``."""
        cls_reg_targets = self.get_targets(sampling_results, rcnn_train_cfg, concat=concat)
        losses = self.loss(cls_score, bbox_pred, rois, *cls_reg_targets,
                           reduction_override=reduction_override, iou_pred=iou_pred)
        return dict(loss_bbox=losses, bbox_targets=cls_reg_targets)

    def loss(self,
             cls_score: Tensor,
             bbox_pred: Tensor,
             rois: Tensor,
             labels: Tensor,
             label_weights: Tensor,
             bbox_targets: Tensor,
             bbox_weights: Tensor,
             reduction_override: Optional[str] = None,
             iou_pred: Optional[Tensor] = None) -> dict:
        """Classification loss as ``BBoxHead.loss``; box and IoU losses on positive RoIs."""
        losses = super().loss(cls_score, None, rois, labels, label_weights, bbox_targets,
                              bbox_weights, reduction_override)
        if bbox_pred is None:
            return losses
        if self.with_iou and iou_pred is None:
            raise ValueError('IoUShared2FCBBoxHead.loss needs iou_pred: use it with '
                             'mmdet_eiou.IoURoIHead')
        pos = (labels >= 0) & (labels < self.num_classes)
        if not pos.any():
            losses['loss_bbox'] = bbox_pred[pos].sum()
            if self.with_iou:
                losses['loss_iou'] = iou_pred[pos].sum()
            return losses
        pos_rois = rois[pos, 1:]
        pos_labels = labels[pos]
        pos_pred = self._select_class(bbox_pred[pos], pos_labels, 4)
        pos_targets = bbox_targets[pos]
        if self.reg_decoded_bbox:
            pos_pred = get_box_tensor(self.bbox_coder.decode(pos_rois, pos_pred))
        loss_kwargs = dict(avg_factor=bbox_targets.size(0), reduction_override=reduction_override)
        if takes_priors(self.loss_bbox):
            loss_kwargs['priors'] = pos_rois
        losses['loss_bbox'] = self.loss_bbox(pos_pred, pos_targets, bbox_weights[pos],
                                             **loss_kwargs)
        if self.with_iou:
            iou_target = iou_targets(self.bbox_coder, pos_rois, pos_pred, pos_targets,
                                     self.reg_decoded_bbox)
            pos_iou_pred = self._select_class(iou_pred[pos], pos_labels, 1).squeeze(1)
            losses['loss_iou'] = self.loss_iou(
                pos_iou_pred, iou_target, avg_factor=pos_iou_pred.numel(),
                reduction_override=reduction_override)
        return losses

    def _select_class(self, pred: Tensor, labels: Tensor, dim: int) -> Tensor:
        """The columns of each row's class when ``pred`` is class-specific, ``(n, dim)``."""
        if pred.size(1) == dim:
            return pred
        return pred.view(pred.size(0), -1, dim)[torch.arange(pred.size(0)), labels]

    def predict_by_feat(self,
                        rois: Tuple[Tensor],
                        cls_scores: Tuple[Tensor],
                        bbox_preds: Tuple[Tensor],
                        batch_img_metas: List[dict],
                        rcnn_test_cfg: Optional[ConfigDict] = None,
                        rescale: bool = False,
                        iou_preds: Optional[Tuple[Tensor]] = None) -> InstanceList:
        """``BBoxHead.predict_by_feat`` with the predicted IoU (``iou_preds``) in the NMS."""
        if iou_preds is None or rcnn_test_cfg is None:
            # no IoU (or test-time augmentation, which wants raw scores): plain mmdet
            return super().predict_by_feat(rois, cls_scores, bbox_preds, batch_img_metas,
                                           rcnn_test_cfg, rescale)
        iou_guided = rcnn_test_cfg.get('iou_guided')  # checked by the NMS below
        results = []
        for roi, cls_score, bbox_pred, iou_pred, img_meta in zip(
                rois, cls_scores, bbox_preds, iou_preds, batch_img_metas):
            if roi.shape[0] == 0:
                results.append(self._predict_by_feat_single(
                    roi, cls_score, bbox_pred, img_meta, rescale, rcnn_test_cfg))
                continue
            # mmdet's own decoding and rescaling, without its NMS (rcnn_test_cfg=None) ...
            raw = self._predict_by_feat_single(roi, cls_score, bbox_pred, img_meta, rescale, None)
            # ... then the NMS that knows the predicted IoU.
            dets, labels = multiclass_iou_guided_nms(
                raw.bboxes, raw.scores, iou_pred.sigmoid(), rcnn_test_cfg.score_thr,
                rcnn_test_cfg.nms, rcnn_test_cfg.max_per_img, iou_guided)
            results.append(InstanceData(bboxes=dets[:, :4], scores=dets[:, 4], labels=labels))
        return results


@MODELS.register_module()
class PriorsToLossShared2FCBBoxHead(IoUShared2FCBBoxHead):
    """``Shared2FCBBoxHead`` that hands each RoI (its proposal) to a box loss that takes
    ``priors`` (``mmdet_eiou.EIoULoss``: SOT in prior units, Algorithm 2), without an IoU
    layer: ``IoUShared2FCBBoxHead`` with ``loss_iou=None`` (Table I rows 5-7, as
    configs/ablation write it), named for what it does. Use it under mmdet's
    ``StandardRoIHead``. Takes the arguments of ``Shared2FCBBoxHead``."""

    def __init__(self, *args, **kwargs) -> None:
        if kwargs.pop('loss_iou', None) is not None:
            raise ValueError('PriorsToLossShared2FCBBoxHead has no IoU branch: for one, use '
                             'mmdet_eiou.IoUShared2FCBBoxHead with mmdet_eiou.IoURoIHead')
        super().__init__(*args, loss_iou=None, **kwargs)


# The name of configs written before the rename.
MODELS.register_module(name='IoUHead', module=IoUShared2FCBBoxHead)
