"""``mmdet_eiou.EIoUCost``: EIoU (Eq. 22) as a match cost of mmdet's ``HungarianAssigner``."""
from typing import Optional, Union

from mmdet.models.task_modules.assigners.match_cost import BaseMatchCost
from mmengine.structures import InstanceData
from torch import Tensor

from mmdet_eiou.ops import extended_iou
from mmdet_eiou.registry import TASK_UTILS


@TASK_UTILS.register_module()
class EIoUCost(BaseMatchCost):
    """``-EIoU * weight`` of every prediction with every ground truth, as mmdet's ``IoUCost``.

    mmdet's ``IoUCost`` returns ``-IoU`` (the constant 1 of ``1 - IoU`` changes no matching
    and is omitted); this follows it: the cost is ``-EIoU * weight``, in ``[-weight, weight]``,
    lower for a better match. Unlike ``-IoU``, it still ranks the predictions that overlap no
    ground truth (all 0 under IoU) by how far apart they are (Eq. 18-20), as ``giou`` does.

    Boxes as ``IoUCost`` takes them: ``pred_instances.bboxes`` and ``gt_instances.bboxes`` in
    unnormalised ``(x1, y1, x2, y2)`` image coordinates (DETR-like heads convert theirs before
    assigning). float16 boxes are computed in float32 (areas overflow float16) and the cost is
    returned in float16, as ``IoUCost`` does. Non-finite boxes raise ``ValueError`` (a NaN
    cost matrix would otherwise reach the Hungarian solver).

    Args:
        weight (float): the cost's weight. Defaults to 1.
        eps (float): floor of the extended union (Eq. 21).
        symmetric (bool): the flip-invariant EIoU (``extended_iou(..., symmetric=True)``)
            instead of the paper's. Defaults to False.
    """

    def __init__(self, weight: Union[float, int] = 1., eps: float = 1e-6,
                 symmetric: bool = False) -> None:
        super().__init__(weight=weight)
        self.eps = eps
        self.symmetric = symmetric

    def __call__(self,
                 pred_instances: InstanceData,
                 gt_instances: InstanceData,
                 img_meta: Optional[dict] = None,
                 **kwargs) -> Tensor:
        """The ``(num_preds, num_gts)`` cost matrix."""
        pred, gt = pred_instances.bboxes, gt_instances.bboxes
        n, m = pred.size(0), gt.size(0)
        # every pair as one aligned row: the (n * m, 4) broadcast of (n, 1, 4) and (1, m, 4)
        pairs_pred = pred[:, None].expand(n, m, 4).reshape(-1, 4)
        pairs_gt = gt[None].expand(n, m, 4).reshape(-1, 4).to(pred.dtype)
        # computed in float32 for half precision, returned in the boxes' dtype (as IoUCost)
        eiou = extended_iou(pairs_pred, pairs_gt, self.eps, self.symmetric).view(n, m)
        return -eiou * self.weight
