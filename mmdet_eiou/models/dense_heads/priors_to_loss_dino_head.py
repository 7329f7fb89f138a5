"""``mmdet_eiou.PriorsToLossDINOHead``: mmdet's ``DINOHead`` that hands each decoder layer's
reference boxes to its IoU loss as ``priors`` (SOT's unit, Eq. 28)."""
from typing import List, Optional, Sequence

import torch
from mmdet.models.dense_heads import DINOHead
from mmdet.structures.bbox import bbox_cxcywh_to_xyxy
from torch import Tensor

from mmdet_eiou.models.utils import takes_priors
from mmdet_eiou.registry import MODELS

MATCHED, DENOISING = 'matched', 'denoising'


def reference_boxes(references: Tensor, queries: str, rows: int,
                    img_shapes: Sequence) -> Tensor:
    """The reference boxes of the queries a DETR-style head's loss call covers, in pixels.

    Args:
        references: one decoder layer's references ``(batch, denoising + matching queries,
            4)``, normalised ``(cx, cy, w, h)`` (what mmdet's ``DINOHead.forward`` receives).
        queries: ``'matched'`` (the layer's last queries) or ``'denoising'`` (its first).
        rows: rows of the loss call, ``batch * queries of that kind``, image-major.
        img_shapes: ``(h, w)`` of each image (the loss sees boxes scaled by them).

    Returns:
        ``(rows, 4)`` xyxy boxes in the loss's pixels.
    """
    per_image = rows // references.size(0)
    refs = references[:, :per_image] if queries == DENOISING else \
        references[:, references.size(1) - per_image:]
    scale = torch.tensor([[w, h, w, h] for h, w in img_shapes], dtype=refs.dtype,
                         device=refs.device)
    return (bbox_cxcywh_to_xyxy(refs) * scale[:, None]).reshape(-1, 4)


@MODELS.register_module()
class PriorsToLossDINOHead(DINOHead):
    """``DINOHead`` whose IoU loss gets, as ``priors``, the reference box each query's decoder
    layer refined: the previous layer's box (detached), for the first layer the encoder's
    proposal or, for a denoising query, the noised ground truth. With
    ``mmdet_eiou.EIoULoss`` and SOT on, each box's gradient is then scaled by its extended
    union in units of its reference (``U_e / S_reference``), the analogue of an anchor-based
    head's prior, instead of its target (``U_e / S_target``, what the loss uses without
    priors). The encoder's proposals are scored against grid priors that the detector keeps,
    so their pairs keep the target unit. What the units do: docs/results.md, section 5.

    Takes the arguments of mmdet's ``DINOHead``; a loss that takes no ``priors`` gets none.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._references: Optional[List[Tensor]] = None
        self._call: Optional[tuple] = None  # (layer, queries, img_shapes) of the loss call
        self._layers = self._layer_calls = self._dn_calls = 0
        if takes_priors(self.loss_iou):
            self.loss_iou.register_forward_pre_hook(self._add_priors, with_kwargs=True)

    def forward(self, hidden_states: Tensor, references: List[Tensor]):
        self._references = [r.detach() for r in references]
        return super().forward(hidden_states, references)

    def loss_by_feat(self, all_layers_cls_scores: Tensor, *args, **kwargs):
        self._layers, self._layer_calls = all_layers_cls_scores.size(0), 0
        return super().loss_by_feat(all_layers_cls_scores, *args, **kwargs)

    def loss_by_feat_single(self, cls_scores: Tensor, bbox_preds: Tensor,
                            batch_gt_instances, batch_img_metas):
        # mmdet calls it for every decoder layer in turn, then for the encoder's proposals
        layer, self._layer_calls = self._layer_calls, self._layer_calls + 1
        return self._with_call(layer < self._layers, layer, MATCHED, batch_img_metas,
                               super().loss_by_feat_single, cls_scores, bbox_preds,
                               batch_gt_instances, batch_img_metas)

    def loss_dn(self, *args, **kwargs):
        self._dn_calls = 0
        return super().loss_dn(*args, **kwargs)

    def _loss_dn_single(self, dn_cls_scores: Tensor, dn_bbox_preds: Tensor,
                        batch_gt_instances, batch_img_metas, dn_meta):
        layer, self._dn_calls = self._dn_calls, self._dn_calls + 1
        return self._with_call(True, layer, DENOISING, batch_img_metas,
                               super()._loss_dn_single, dn_cls_scores, dn_bbox_preds,
                               batch_gt_instances, batch_img_metas, dn_meta)

    def _with_call(self, has_reference: bool, layer: int, queries: str, img_metas, fn, *args):
        self._call = (layer, queries, [m['img_shape'] for m in img_metas]) \
            if has_reference and self._references is not None else None
        try:
            return fn(*args)
        finally:
            self._call = None

    def _add_priors(self, module, args, kwargs):
        """Forward pre-hook of the IoU loss: ``priors=`` the call's reference boxes."""
        if self._call is None or kwargs.get('priors') is not None:
            return None
        layer, queries, img_shapes = self._call
        pred = args[0] if args else kwargs['pred']
        priors = reference_boxes(self._references[layer], queries, pred.size(0), img_shapes)
        return args, dict(kwargs, priors=priors.to(pred.dtype))
