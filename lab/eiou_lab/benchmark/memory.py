"""Memory a loss keeps alive between its forward and its backward."""
from typing import Callable

import torch
from torch import Tensor


def saved_mib(loss_fn: Callable[[Tensor, Tensor], Tensor], pred: Tensor, target: Tensor) -> float:
    """MiB of the distinct tensors autograd saved for the backward of ``loss_fn(pred, target)``
    (``save_for_backward`` included) beyond the two inputs: what grows with N in training."""
    saved = {}

    def pack(t):
        saved[(t.data_ptr(), t.dtype)] = t.untyped_storage().nbytes()
        return t

    x = pred.clone().requires_grad_()
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        loss = loss_fn(x, target)
    loss.backward()
    saved.pop((x.data_ptr(), x.dtype), None)  # the inputs exist anyway
    saved.pop((target.data_ptr(), target.dtype), None)
    return sum(saved.values()) / 2**20
