"""Random aligned box pairs ``(pred, target)``: the one sampler of checks, benchmarks and analyses.

Pure torch (no mmdet), float32, on the CPU, reproducible from a seed. Targets have log-uniform
sides and aspect ratios about uniform centres; each prediction is its target shifted and
rescaled in units of the target's sides. Small offsets give a detector's positive proposals
(the default, the precision track's objects); offsets of a few sides give pairs in every
arrangement of the paper's Fig. 2 (overlapping, apart in x, in y, in both), see
:data:`FIG2_ARRANGEMENTS`.
"""
from typing import Tuple

import torch
from torch import Tensor

#: Unit-sized boxes in all four Fig. 2 arrangements, each in roughly a quarter of the pairs:
#: centres in a 4 x 4 square, sides 0.1-2, offsets up to 2 sides, sizes 0.25-1.75 times.
FIG2_ARRANGEMENTS = dict(extent=4.0, sides=(0.1, 2.0), shift=4.0, rescale=1.5)
#: Detector-like pairs in pixels for timing: a 600 px image, sides 4-200 px.
PIXEL_BOXES = dict(extent=600.0, sides=(4.0, 200.0))


def sample_box_pairs(n: int,
                     seed: int = 0,
                     extent: float = 160.0,
                     sides: Tuple[float, float] = (12.0, 110.0),
                     max_aspect: float = 3.0,
                     shift: float = 0.2,
                     rescale: float = 0.3) -> Tuple[Tensor, Tensor]:
    """``(pred, target)``, each ``(n, 4)`` ``(x1, y1, x2, y2)``.

    Args:
        n: number of pairs.
        seed: seed of the sampler's own generator (the global RNG is left alone).
        extent: target centres are uniform in ``[0, extent)^2``.
        sides: the range of a target's size (the geometric mean of its sides), log-uniform.
        max_aspect: aspect ratios are log-uniform in ``[1 / max_aspect, max_aspect]``.
        shift: a prediction's centre is its target's moved by up to ``shift / 2`` of the
            target's side along each axis (uniform).
        rescale: a prediction's sides are its target's times ``1 +- rescale / 2`` (uniform;
            below 2 so that they stay positive).
    """
    g = torch.Generator().manual_seed(seed)
    # The order of these draws is part of the output: tools/gradient_scale.py's recorded
    # numbers (docs/results.md) come from the default arguments' boxes.
    log_side = torch.tensor(float(sides[0])).log(), torch.tensor(float(sides[1])).log()
    size = torch.exp(torch.empty(n).uniform_(*log_side, generator=g))
    log_aspect = torch.tensor(float(max_aspect)).log()  # float32 logs, as recorded
    ratio = torch.exp(torch.empty(n).uniform_(-log_aspect, log_aspect, generator=g))
    wh = torch.stack([size * ratio.sqrt(), size / ratio.sqrt()], 1)
    centre = torch.rand(n, 2, generator=g) * extent
    target = torch.cat([centre - wh / 2, centre + wh / 2], 1)
    offset = (torch.rand(n, 2, generator=g) - 0.5) * shift * wh
    scaled = wh * (1 + (torch.rand(n, 2, generator=g) - 0.5) * rescale)
    pred = torch.cat([centre + offset - scaled / 2, centre + offset + scaled / 2], 1)
    return pred, target

