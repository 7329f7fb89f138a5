"""An independent float64 reference of Eq. 1-23, written literally from the paper, pair by pair.

Deliberately naive (Python floats, one pair at a time, the paper's variable names) so that it
shares nothing with mmdet_eiou's vectorised implementation. Also the paper's Fig. 2 pairs, which
the float64 tests (test_eiou_math.py) and the device tests (test_device.py) share.
"""

# The four configurations of Fig. 2, target (0, 0, 2, 1) against a predicted box that
# (a) overlaps it, (b) is apart in x only, (c) in y only, (d) in both.
FIG2_TARGET = [0.0, 0.0, 2.0, 1.0]
FIG2_CASES = {
    'a_overlap': [0.5, 0.3, 2.6, 1.7],
    'b_apart_in_x': [2.5, -0.4, 3.3, 0.6],
    'c_apart_in_y': [0.3, 1.4, 1.2, 2.9],
    'd_apart_in_both': [-1.9, -1.6, -0.3, -0.2],
    # the arrangements mirrored: predicted box first along the axis
    'b_mirrored': [-1.5, 0.2, -0.2, 1.6],
    'd_mirrored': [2.4, 1.3, 3.1, 2.2],
}


def eiou_reference(p, t):
    """EIoU of one pair of (x1, y1, x2, y2) boxes, Eq. 1-22, in Python floats."""
    x1p, y1p, x2p, y2p = map(float, p)
    x1t, y1t, x2t, y2t = map(float, t)
    x1 = max(x1t, x1p)  # Eq. 1
    y1 = max(y1t, y1p)  # Eq. 2
    x2 = min(x2t, x2p)  # Eq. 3
    y2 = min(y2t, y2p)  # Eq. 4
    x0 = min(x1t, x1p)  # Eq. 10
    y0 = min(y1t, y1p)  # Eq. 11
    xmin, ymin = min(x1, x2), min(y1, y2)  # Eq. 12-13
    xmax, ymax = max(x1, x2), max(y1, y2)  # Eq. 14-15
    ie = ((x2 - x0) * (y2 - y0) + (xmin - x0) * (ymin - y0)
          - (x1 - x0) * (ymax - y0) - (xmax - x0) * (y1 - y0))  # Eq. 16
    st = (x2t - x1t) * (y2t - y1t)  # Eq. 6
    sp = (x2p - x1p) * (y2p - y1p)  # Eq. 7
    ue = st + sp - ie  # Eq. 21
    return ie / ue  # Eq. 22


def smooth_eiou_reference(p, t, power=2.0):
    """Eq. 23 (CT with exponent ``power``)."""
    return (1.0 - eiou_reference(p, t)) ** power


def giou_reference(p, t):
    """GIoU of Rezatofighi et al. (Algorithm 1 of the paper), for Fig. 3."""
    x1p, y1p, x2p, y2p = map(float, p)
    x1t, y1t, x2t, y2t = map(float, t)
    iw = max(0.0, min(x2p, x2t) - max(x1p, x1t))
    ih = max(0.0, min(y2p, y2t) - max(y1p, y1t))
    inter = iw * ih
    union = (x2p - x1p) * (y2p - y1p) + (x2t - x1t) * (y2t - y1t) - inter
    hull = (max(x2p, x2t) - min(x1p, x1t)) * (max(y2p, y2t) - min(y1p, y1t))
    return inter / union - (hull - union) / hull


def finite_difference_grad(fn, p, t, h=1e-6):
    """Central differences of ``fn(p, t)`` w.r.t. the four coordinates of ``p``."""
    grads = []
    for i in range(4):
        hi = list(p)
        lo = list(p)
        hi[i] += h
        lo[i] -= h
        grads.append((fn(hi, t) - fn(lo, t)) / (2 * h))
    return grads


def eiou_documented(p, t, eps=1e-6, symmetric=False):
    """``(I_e, U_e, EIoU)`` of one pair as mmdet_eiou.ops.eiou's docstring defines them for
    *any* finite pair, in Python floats: sides clamped at 0 (an inverted box is empty), the
    extended origin over all four coordinates of an axis, ``U_e`` floored at ``eps``, EIoU
    clamped to ``[-1, 1]``. For proper boxes whose union exceeds ``eps`` this is
    :func:`eiou_reference` (Eq. 16-22 literally); ``symmetric``: the mean of Eq. 16 over the
    four corners, computed by flipping the pair, as mmdet_eiou/ops/symmetric_eiou.py defines
    it (proper boxes only)."""
    x1p, y1p, x2p, y2p = map(float, p)
    x1t, y1t, x2t, y2t = map(float, t)
    if symmetric:
        flips = [(1, 1), (-1, 1), (1, -1), (-1, -1)]
        inter = 0.0
        for fx, fy in flips:  # flip, measure from the new top-left corner
            fp = _flip([x1p, y1p, x2p, y2p], fx, fy)
            ft = _flip([x1t, y1t, x2t, y2t], fx, fy)
            inter += _extended_intersection(fp, ft) / 4
    else:
        inter = _extended_intersection([x1p, y1p, x2p, y2p], [x1t, y1t, x2t, y2t])
    sp = max(x2p - x1p, 0.0) * max(y2p - y1p, 0.0)
    st = max(x2t - x1t, 0.0) * max(y2t - y1t, 0.0)
    union = max(sp + st - inter, eps)
    return inter, union, min(max(inter / union, -1.0), 1.0)


def _flip(box, fx, fy):
    x1, y1, x2, y2 = box
    x1, x2 = (x1, x2) if fx > 0 else (-x2, -x1)
    y1, y2 = (y1, y2) if fy > 0 else (-y2, -y1)
    return [x1, y1, x2, y2]


def _extended_intersection(p, t):
    """Eq. 16 with the origin over all four coordinates of each axis (Eq. 10 for proper
    boxes)."""
    x1p, y1p, x2p, y2p = p
    x1t, y1t, x2t, y2t = t
    x0 = min(x1p, x1t, x2p, x2t)
    y0 = min(y1p, y1t, y2p, y2t)
    x1, y1 = max(x1t, x1p), max(y1t, y1p)
    x2, y2 = min(x2t, x2p), min(y2t, y2p)
    xmin, ymin = min(x1, x2), min(y1, y2)
    xmax, ymax = max(x1, x2), max(y1, y2)
    return ((x2 - x0) * (y2 - y0) + (xmin - x0) * (ymin - y0)
            - (x1 - x0) * (ymax - y0) - (xmax - x0) * (y1 - y0))
