"""``mmdet_eiou.CornerDeltaBBoxCoder``: the box coder of Sec. IV / Algorithm 2."""
from typing import Optional, Sequence, Union

import torch
from mmdet.models.task_modules.coders.base_bbox_coder import BaseBBoxCoder
from mmdet.structures.bbox import BaseBoxes, HorizontalBoxes, get_box_tensor
from torch import Tensor

from mmdet_eiou.registry import TASK_UTILS


@TASK_UTILS.register_module()
class CornerDeltaBBoxCoder(BaseBBoxCoder):
    """Corner offsets normalised by the square root of the prior's area (Sec. IV).

    ``delta = ((gt - prior) / S - means) / stds`` for the four corners ``(x1, y1, x2, y2)``,
    with ``S = sqrt(w_prior * h_prior)``. One scale for all four coordinates keeps the aspect
    ratio of the offsets, unlike ``DeltaXYWHBBoxCoder``'s per-axis ``w``/``h`` normalisation.
    ``decode`` inverts ``encode`` exactly (up to float rounding).

    Args:
        target_means (Sequence[float]): means of the normalised offsets.
        target_stds (Sequence[float]): standard deviations of the normalised offsets.
        clip_border (bool): clip decoded boxes to the image when ``max_shape`` is given.
        max_offset (float): bound of each denormalised offset, in units of ``S``; the linear
            counterpart of ``DeltaXYWHBBoxCoder``'s ``wh_ratio_clip`` (a corner cannot move by
            more than ``max_offset`` prior sizes).
        eps (float): floor of ``S`` for zero-area priors.
    """
    encode_size = 4

    def __init__(self,
                 target_means: Sequence[float] = (0., 0., 0., 0.),
                 target_stds: Sequence[float] = (1., 1., 1., 1.),
                 clip_border: bool = True,
                 max_offset: float = 16.0,
                 eps: float = 1e-6,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if len(target_means) != 4 or len(target_stds) != 4:
            raise ValueError('target_means and target_stds need 4 values each')
        if min(target_stds) <= 0 or max_offset <= 0:
            raise ValueError('target_stds and max_offset must be positive')
        self.means = tuple(float(m) for m in target_means)
        self.stds = tuple(float(s) for s in target_stds)
        self.clip_border = clip_border
        self.max_offset = max_offset
        self.eps = eps

    def _scale(self, priors: Tensor) -> Tensor:
        """``S = sqrt(prior area)``, shape ``(..., 1)``."""
        wh = (priors[..., 2:] - priors[..., :2]).clamp(min=0)
        return wh.prod(-1, keepdim=True).clamp(min=self.eps**2).sqrt()

    def encode(self, bboxes: Union[Tensor, BaseBoxes],
               gt_bboxes: Union[Tensor, BaseBoxes]) -> Tensor:
        """Offsets that move ``bboxes`` (priors) onto ``gt_bboxes``, both ``(..., 4)``."""
        priors = get_box_tensor(bboxes)
        gt = get_box_tensor(gt_bboxes)
        if priors.shape != gt.shape or priors.size(-1) != 4:
            raise ValueError(f'encode needs aligned (..., 4) boxes, got {tuple(priors.shape)} '
                             f'and {tuple(gt.shape)}')
        means, stds = priors.new_tensor(self.means), priors.new_tensor(self.stds)
        return ((gt - priors) / self._scale(priors) - means) / stds

    def decode(self,
               bboxes: Union[Tensor, BaseBoxes],
               pred_bboxes: Tensor,
               max_shape: Optional[Union[Sequence[int], Tensor,
                                         Sequence[Sequence[int]]]] = None
               ) -> Union[Tensor, BaseBoxes]:
        """Boxes from priors ``(..., N, 4)`` and offsets ``(..., N, 4 * k)`` (k classes).

        ``max_shape`` is ``(H, W[, C])``, or one such per image for batched ``(B, N, 4)``.
        """
        priors = get_box_tensor(bboxes)
        if pred_bboxes.shape[:-1] != priors.shape[:-1] or pred_bboxes.size(-1) % 4:
            raise ValueError(f'priors {tuple(priors.shape)} and offsets '
                             f'{tuple(pred_bboxes.shape)} do not match')
        deltas = pred_bboxes.unflatten(-1, (-1, 4))  # (..., N, k, 4)
        means, stds = deltas.new_tensor(self.means), deltas.new_tensor(self.stds)
        offsets = (deltas * stds + means).clamp(min=-self.max_offset, max=self.max_offset)
        boxes = priors.unsqueeze(-2) + offsets * self._scale(priors).unsqueeze(-2)
        if self.clip_border and max_shape is not None:
            boxes = _clip_to_image(boxes, max_shape)
        boxes = boxes.flatten(-2)
        if self.use_box_type:
            assert boxes.size(-1) == 4, 'box types need class-agnostic (N, 4) offsets'
            boxes = HorizontalBoxes(boxes)
        return boxes


def _clip_to_image(boxes: Tensor, max_shape) -> Tensor:
    """Clamp ``(..., 4)`` boxes to ``[0, W] x [0, H]``; ``max_shape`` per image if batched."""
    if not isinstance(max_shape, Tensor):
        max_shape = boxes.new_tensor(max_shape)
    hw = max_shape[..., :2].to(boxes)
    if hw.dim() == 2:  # one (H, W) per image of a (B, N, k, 4) batch
        hw = hw[:, None, None, :]
    upper = torch.cat([hw.flip(-1), hw.flip(-1)], dim=-1)  # (W, H, W, H)
    return torch.minimum(boxes.clamp(min=0), upper)
