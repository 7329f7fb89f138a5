"""The dtype the EIoU maths runs in, whatever the boxes' dtype: one rule for the kernels and
for the range their inputs are checked against (:mod:`.nonfinite`)."""
import torch


def compute_dtype(dtype: torch.dtype) -> torch.dtype:
    """The dtype the EIoU maths runs in: float64 stays, anything else is float32 (areas of
    boxes over 256 px overflow float16; bfloat16 rounds them to 3 digits)."""
    return torch.float64 if dtype == torch.float64 else torch.float32
