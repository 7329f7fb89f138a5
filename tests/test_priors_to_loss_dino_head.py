"""mmdet_eiou.PriorsToLossDINOHead: each decoder layer's reference boxes reach the IoU loss as
its priors (SOT's unit); nothing else changes."""
import torch

from test_sot_units import dino_head, dino_loss_inputs


def loss_calls(head, inputs):
    """(pred, priors or None) of every call of the head's IoU loss in one ``head.loss``."""
    calls = []

    def record(module, args, kwargs, output):
        calls.append((args[0].detach(), kwargs.get('priors')))

    handle = head.loss_iou.register_forward_hook(record, with_kwargs=True)
    try:
        losses = head.loss(*inputs)
    finally:
        handle.remove()
    return losses, calls


def test_every_decoder_and_denoising_call_gets_its_queries_references():
    """Regression branches that output their reference unchanged: the priors of every row are
    its own prediction (a wrong layer, query slice or image size would not be); the encoder's
    proposals, whose priors the detector keeps, get none."""
    head, layers = dino_head('mmdet_eiou.PriorsToLossDINOHead')
    losses, calls = loss_calls(head, dino_loss_inputs(head, layers))
    # mmdet's order: the matched queries of each layer, the encoder's proposals, denoising
    assert len(calls) == 2 * layers + 1
    assert calls[layers][1] is None
    for pred, priors in calls[:layers] + calls[layers + 1:]:
        assert priors is not None and priors.shape == pred.shape
        torch.testing.assert_close(priors, pred, atol=1e-3, rtol=0)
    assert head._call is None  # nothing left for a later call


def test_losses_equal_mmdets_head_with_the_same_weights():
    """Priors change SOT's gradient only: every loss value is the plain DINOHead's."""
    ours, layers = dino_head('mmdet_eiou.PriorsToLossDINOHead')
    theirs, _ = dino_head()
    theirs.load_state_dict(ours.state_dict())
    inputs = dino_loss_inputs(ours, layers)
    a, b = ours.loss(*inputs), theirs.loss(*inputs)
    assert a.keys() == b.keys()
    for key in a:
        torch.testing.assert_close(a[key], b[key])

