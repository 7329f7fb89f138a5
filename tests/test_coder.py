"""Sec. IV coder: corner offsets normalised by sqrt(prior area)."""
import math

import pytest
import torch

from mmdet_eiou.models.task_modules import CornerDeltaBBoxCoder


def boxes(n, seed):
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(n, 2, generator=g, dtype=torch.float64) * 100
    return torch.cat([xy, xy + 1 + torch.rand(n, 2, generator=g, dtype=torch.float64) * 80], 1)


def test_encode_is_offsets_over_sqrt_prior_area():
    coder = CornerDeltaBBoxCoder()
    prior = torch.tensor([[10., 20., 30., 28.]])  # 20 x 8: S = sqrt(160)
    gt = torch.tensor([[12., 18., 33., 30.]])
    s = math.sqrt(160)
    assert torch.allclose(coder.encode(prior, gt), torch.tensor([[2 / s, -2 / s, 3 / s, 2 / s]]))


@pytest.mark.parametrize('stds', [(1., 1., 1., 1.), (0.1, 0.1, 0.2, 0.2)])
def test_round_trip_is_exact(stds):
    coder = CornerDeltaBBoxCoder(target_means=(0.1, -0.2, 0.0, 0.3), target_stds=stds)
    priors = boxes(500, 0)
    size = (priors[:, 2:] - priors[:, :2]).prod(1, keepdim=True).sqrt()
    gts = priors + torch.randn(500, 4, dtype=torch.float64) * size  # within max_offset
    decoded = coder.decode(priors, coder.encode(priors, gts))
    assert torch.allclose(decoded, gts, rtol=0, atol=1e-10)


def test_decode_clips_to_image_and_limits_offsets():
    coder = CornerDeltaBBoxCoder(max_offset=2.0)
    prior = torch.tensor([[10., 10., 20., 20.]])  # S = 10
    delta = torch.tensor([[-5., 0.1, 100., 0.2]])
    out = coder.decode(prior, delta, max_shape=(25, 40))
    assert out.tolist() == [[0.0, 11.0, 40.0, 22.0]]  # -2*10 -> clip at 0; 2*10 -> 40 (W)
    unclipped = CornerDeltaBBoxCoder(max_offset=2.0, clip_border=False).decode(prior, delta)
    assert unclipped.tolist() == [[-10.0, 11.0, 40.0, 22.0]]


def test_class_specific_and_batched_decode():
    coder = CornerDeltaBBoxCoder()
    priors = boxes(6, 2).float()
    deltas = torch.randn(6, 12) * 0.1  # 3 classes
    out = coder.decode(priors, deltas)
    assert out.shape == (6, 12)
    assert torch.allclose(out[:, 4:8], coder.decode(priors, deltas[:, 4:8]))
    batched = coder.decode(priors[None].expand(2, -1, -1), deltas[None, :, :4].expand(2, -1, -1),
                           max_shape=[(50, 60), (100, 120)])
    assert batched.shape == (2, 6, 4)
    assert (batched[0, :, 0::2] <= 60).all() and (batched[1, :, 1::2] <= 100).all()


def test_bad_arguments_fail_clearly():
    with pytest.raises(ValueError):
        CornerDeltaBBoxCoder(target_stds=(1, 1, 0, 1))
    with pytest.raises(ValueError, match='aligned'):
        CornerDeltaBBoxCoder().encode(torch.zeros(3, 4), torch.zeros(2, 4))


def test_config_builds_from_our_scope():
    from mmdet.registry import TASK_UTILS
    coder = TASK_UTILS.build(dict(type='mmdet_eiou.CornerDeltaBBoxCoder', target_stds=[.1] * 4))
    assert isinstance(coder, CornerDeltaBBoxCoder) and coder.stds == (.1, .1, .1, .1)
