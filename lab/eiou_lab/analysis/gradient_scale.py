"""How hard each box loss pushes the network's regression outputs, at a given IoU.

A detector's box branch sees only the gradient of its loss with respect to its outputs (the
coder's deltas). Two rows of an ablation that differ in loss shape also differ in that
gradient's size, i.e. in the effective learning rate of the box branch: CT (Eq. 23) shrinks it
near convergence by design, a coder's ``target_stds`` scale it, a loss weight multiplies it.
:func:`delta_gradient_norms` measures it the way a head computes it: priors, targets, and
predictions at a chosen IoU from their targets (each target enlarged about its centre by
``1 / sqrt(IoU)``), encoded by the row's coder, decoded again when the loss takes boxes, and
differentiated with respect to the deltas. Needs mmdet (its coders and losses).
"""
from typing import Dict, Sequence

import torch

from eiou_lab.box_pairs import sample_box_pairs


def at_iou(targets: torch.Tensor, iou: float) -> torch.Tensor:
    """Each target enlarged about its centre so that its IoU with the target is ``iou``."""
    centre = (targets[:, :2] + targets[:, 2:]) / 2
    half = (targets[:, 2:] - targets[:, :2]) / 2 / iou**0.5
    return torch.cat([centre - half, centre + half], 1)


def delta_gradient_norms(coder, loss, decoded: bool, ious: Sequence[float] = (0.965, 0.813,
                                                                                0.523),
                         n: int = 4096, seed: int = 0) -> Dict[float, float]:
    """Mean per-box L2 norm of ``d loss / d deltas`` at each IoU in ``ious``.

    Args:
        coder: an mmdet box coder (``encode``/``decode``).
        loss: an mmdet box loss module (its ``loss_weight`` included); called with
            ``reduction_override='sum'`` so that every box gets its own gradient, and with
            ``priors=`` when it takes them (``mmdet_eiou.EIoULoss``: SOT's unit).
        decoded: whether the loss compares decoded boxes (``reg_decoded_bbox=True``) or deltas.
    """
    from mmdet.structures.bbox import get_box_tensor
    from mmdet_eiou.models.utils import takes_priors
    # the sampler's default pairs: the precision track's targets, priors about them at IoU
    # 0.68-0.97 (positive proposals)
    priors, targets = sample_box_pairs(n, seed)
    out = {}
    for iou in ious:
        deltas = coder.encode(priors, at_iou(targets, iou)).detach().requires_grad_()
        kwargs = dict(priors=priors) if takes_priors(loss) else {}
        if decoded:
            value = loss(get_box_tensor(coder.decode(priors, deltas)), targets,
                         reduction_override='sum', **kwargs)
        else:
            value = loss(deltas, coder.encode(priors, targets), reduction_override='sum')
        grad, = torch.autograd.grad(value, deltas)
        out[iou] = float(grad.norm(dim=1).mean())
    return out
