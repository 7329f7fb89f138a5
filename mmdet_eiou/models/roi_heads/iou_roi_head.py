"""``mmdet_eiou.IoURoIHead``: StandardRoIHead that carries the IoU head's third output."""
from typing import List, Tuple

from mmdet.models.roi_heads import StandardRoIHead
from mmdet.structures.bbox import bbox2roi
from mmdet.utils import ConfigType, InstanceList
from torch import Tensor

from mmdet_eiou.registry import MODELS


@MODELS.register_module()
class IoURoIHead(StandardRoIHead):
    """``StandardRoIHead`` for a box head that returns ``(cls_score, bbox_pred, iou_pred)``
    (:class:`~mmdet_eiou.models.roi_heads.IoUShared2FCBBoxHead`): the IoU prediction reaches the
    head's loss
    in training and its NMS at test time. Everything else is mmdet's."""

    def _bbox_forward(self, x: Tuple[Tensor], rois: Tensor) -> dict:
        bbox_feats = self.bbox_roi_extractor(x[:self.bbox_roi_extractor.num_inputs], rois)
        if self.with_shared_head:
            bbox_feats = self.shared_head(bbox_feats)
        cls_score, bbox_pred, iou_pred = self.bbox_head(bbox_feats)
        return dict(cls_score=cls_score, bbox_pred=bbox_pred, iou_pred=iou_pred,
                    bbox_feats=bbox_feats)

    def bbox_loss(self, x: Tuple[Tensor], sampling_results: list) -> dict:
        rois = bbox2roi([res.priors for res in sampling_results])
        bbox_results = self._bbox_forward(x, rois)
        bbox_loss_and_target = self.bbox_head.loss_and_target(
            cls_score=bbox_results['cls_score'],
            bbox_pred=bbox_results['bbox_pred'],
            rois=rois,
            sampling_results=sampling_results,
            rcnn_train_cfg=self.train_cfg,
            iou_pred=bbox_results['iou_pred'])
        bbox_results.update(loss_bbox=bbox_loss_and_target['loss_bbox'])
        return bbox_results

    def predict_bbox(self,
                     x: Tuple[Tensor],
                     batch_img_metas: List[dict],
                     rpn_results_list: InstanceList,
                     rcnn_test_cfg: ConfigType,
                     rescale: bool = False) -> InstanceList:
        proposals = [res.bboxes for res in rpn_results_list]
        rois = bbox2roi(proposals)
        if rois.shape[0] == 0:  # StandardRoIHead's empty-result path needs no IoU
            return super().predict_bbox(x, batch_img_metas, rpn_results_list, rcnn_test_cfg,
                                        rescale)
        bbox_results = self._bbox_forward(x, rois)
        num_per_img = tuple(len(p) for p in proposals)
        return self.bbox_head.predict_by_feat(
            rois=rois.split(num_per_img, 0),
            cls_scores=bbox_results['cls_score'].split(num_per_img, 0),
            bbox_preds=bbox_results['bbox_pred'].split(num_per_img, 0),
            batch_img_metas=batch_img_metas,
            rcnn_test_cfg=rcnn_test_cfg,
            rescale=rescale,
            iou_preds=bbox_results['iou_pred'].split(num_per_img, 0))
