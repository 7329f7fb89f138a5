"""The localisation-only simulation (eiou_lab.simulation, tools/simulate_regression.py) on a
few hundred cases: determinism, what EIoU and IoU do with disjoint starts, SOT's scale
invariance (Fig. 5a), the flip-invariant (symmetric) EIoU rows and the CLI's outputs."""
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

from mmdet_eiou.ops import box_iou, compile_mode
from eiou_lab.simulation import LOSSES, Cases, Schedule, make_cases, run_loss, summarise

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
SHORT = Schedule(iters=60)  # same 80 % / 90 % milestones as the full run, fewer iterations


@pytest.fixture(autouse=True)
def eager():
    """Eager kernels: a few hundred cases do not repay torch.compile's start-up."""
    with compile_mode(False):
        yield


@pytest.fixture(scope='module')
def cases():
    """3 anchor centres x 343 = 1029 cases, 678 of them disjoint from their target."""
    return make_cases(num_centres=3, seed=1)


def test_cases_follow_test_1715k(cases):
    assert len(cases) == 3 * 343
    wh_t = cases.targets[:, 2:] - cases.targets[:, :2]
    assert torch.allclose(wh_t.prod(1), torch.ones(len(cases)), atol=1e-5)  # target area 1
    ratio = (wh_t[:, 0] / wh_t[:, 1]).unique()
    assert torch.allclose(ratio.sort().values,
                          torch.tensor([1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4]), rtol=1e-5)
    centres = (cases.anchors[:, :2] + cases.anchors[:, 2:]) / 2
    assert float((centres - 10).norm(dim=1).max()) <= 3 + 1e-5  # disc of radius 3
    areas = (cases.anchors[:, 2:] - cases.anchors[:, :2]).prod(1)
    assert 0.5 - 1e-5 <= float(areas.min()) and float(areas.max()) <= 2 + 1e-5


def test_determinism_by_seed(cases):
    again = make_cases(num_centres=3, seed=1)
    assert torch.equal(cases.anchors, again.anchors) and torch.equal(cases.targets,
                                                                     again.targets)
    assert not torch.equal(cases.anchors, make_cases(num_centres=3, seed=2).anchors)
    # more centres only append cases: a small run is a prefix of the full one
    assert torch.equal(make_cases(num_centres=5, seed=1).anchors[:len(cases)], cases.anchors)
    first = run_loss('eiou_p2', cases, SHORT, chunk_size=400)
    second = run_loss('eiou_p2', cases, SHORT, chunk_size=1000)  # chunking changes nothing
    assert torch.equal(first.final_iou, second.final_iou)
    assert torch.allclose(first.curve, second.curve, rtol=1e-12, atol=0)  # float64 sums


def test_disjoint_start_moves_under_eiou_not_under_iou(cases):
    disjoint = cases.disjoint
    assert 20 <= int(disjoint.sum()) < len(cases)
    anchors = cases.anchors[disjoint].clone().requires_grad_(True)
    grad, = torch.autograd.grad(LOSSES['iou'].build()(anchors, cases.targets[disjoint]).sum(),
                                anchors)
    assert torch.count_nonzero(grad) == 0  # IoU has no gradient without overlap

    full = Schedule()  # the full run's 200 iterations: under a second for 1029 cases
    iou_run = run_loss('iou', cases, full)
    assert float(iou_run.final_iou[disjoint].abs().max()) == 0  # stays put at IoU 0
    assert float(iou_run.curve_disjoint.abs().max()) == 0
    eiou_run = run_loss('eiou_p2', cases, full)
    summary = summarise(eiou_run, cases, full)
    assert summary['final_mean_iou_disjoint_start'] > 0.8  # EIoU pulls them in (0.87)
    assert summary['frac_iou_ge_0.5_disjoint_start'] > 0.8
    assert summary['curve_disjoint_start'][-1] > summary['curve_disjoint_start'][0] == 0


def test_iou_weighting_scales_the_first_step(cases):
    """test_1715k.m's ``(2 - IoU)`` factor: the first update is the plain one times
    ``2 - IoU`` of the start, so disjoint starts (IoU 0) move exactly twice as far."""
    lr = Schedule().lr
    fn = LOSSES['giou'].build()
    leaf = cases.anchors.clone().requires_grad_(True)
    grad, = torch.autograd.grad(fn(leaf, cases.targets).sum(), leaf)
    plain = run_loss('giou', cases, Schedule(iters=1))
    weighted = run_loss('giou', cases, Schedule(iters=1, iou_weighting=True))
    expected = box_iou(cases.anchors - lr * grad * (2 - cases.start_iou).unsqueeze(1),
                       cases.targets, is_aligned=True)
    assert torch.allclose(weighted.final_iou, expected, atol=1e-6)
    assert not torch.allclose(weighted.final_iou, plain.final_iou)


def test_sot_is_scale_invariant_plain_ct_is_not():
    """Fig. 5a. Every coordinate times 0.25 or 4 (powers of two: exact in float), same lr.
    With SOT (gradient times U_e in the optimised units) the update scales with the boxes,
    so the IoU of every case is the same at every scale; we allow 1e-5 (float32 rounding),
    in practice it is bitwise. Without SOT it is not: the step shrinks as 1/scale."""
    small, unit, large = (make_cases(num_centres=1, seed=3, scale=s) for s in (0.25, 1, 4))
    assert torch.equal(large.anchors, unit.anchors * 4)
    finals = {}
    for name in ('eiou_p2_sot', 'eiou_p2'):
        finals[name] = torch.stack([run_loss(name, c, SHORT).final_iou
                                    for c in (small, unit, large)])
    sot = finals['eiou_p2_sot']
    assert float((sot - sot[1]).abs().max()) <= 1e-5
    ct_means = finals['eiou_p2'].double().mean(1)
    assert float(ct_means.max() - ct_means.min()) > 0.05
    assert float(ct_means[2]) < float(ct_means[1])  # large boxes converge slower without SOT


#: the symmetric rows and the paper's rows they differ from only in the EIoU
SYMMETRIC_ROWS = {'eiou_p1_symmetric': 'eiou_p1', 'eiou_p2_sot_symmetric': 'eiou_p2_sot'}
#: 20 iterations (lr drops at 16 and 18): long enough for the paper's EIoU to tell mirrored
#: disjoint starts apart, short enough that p = 1, which bounces around the optimum, has not
#: yet amplified float rounding into visible differences (by iteration 60 it has: up to 0.14
#: IoU between two runs whose updates differ only in the last bit)
FLIP = Schedule(iters=20)


def _subset(cases, mask):
    return Cases(cases.anchors[mask].contiguous(), cases.targets[mask].contiguous(),
                 cases.centres, cases.scale)


def _mirror(cases):
    """Every anchor and target flipped horizontally, ``x -> -x`` (exact in float)."""
    def flip(boxes):
        return torch.stack([-boxes[:, 2], boxes[:, 1], -boxes[:, 0], boxes[:, 3]], 1)
    return Cases(flip(cases.anchors), flip(cases.targets), cases.centres, cases.scale)


def test_symmetric_rows_exist_and_run(cases):
    assert LOSSES['eiou_p1_symmetric'].label == 'ours EIoU p=1, symmetric'
    assert LOSSES['eiou_p2_sot_symmetric'].label == 'ours CT p=2 + SOT, symmetric'
    for name in SYMMETRIC_ROWS:
        fn = LOSSES[name].build()
        assert fn.symmetric and not LOSSES[SYMMETRIC_ROWS[name]].build().symmetric
        run = run_loss(name, cases, FLIP)
        assert bool(torch.isfinite(run.final_iou).all()) and not bool(run.stalled.any())
        assert float(run.curve_disjoint[-1]) > 0.05  # disjoint starts move (0.08, 0.34)
    assert run.max_sot_factor is not None and 1 < run.max_sot_factor < 1e4  # SOT applied


@pytest.mark.parametrize('symmetric, paper', SYMMETRIC_ROWS.items())
def test_symmetric_rows_equal_the_papers_on_overlapping_starts(cases, symmetric, paper):
    """Where the boxes overlap both forms are IoU (so are their gradients); every overlapping
    start stays overlapping, so the trajectories agree up to float rounding (measured
    <= 5e-6 in IoU, 6e-8 in the mean curve)."""
    overlapping = _subset(cases, ~cases.disjoint)
    assert len(overlapping) > 100
    sym, ref = run_loss(symmetric, overlapping, FLIP), run_loss(paper, overlapping, FLIP)
    assert torch.allclose(sym.final_iou, ref.final_iou, rtol=0, atol=1e-4)
    assert torch.allclose(sym.curve, ref.curve, rtol=0, atol=1e-6)
    # ... but not on the disjoint starts, where the symmetric form is a different function
    disjoint = _subset(cases, cases.disjoint)
    diff = (run_loss(symmetric, disjoint, FLIP).final_iou
            - run_loss(paper, disjoint, FLIP).final_iou)
    assert float(diff.abs().max()) > 0.01


@pytest.mark.parametrize('symmetric, paper', SYMMETRIC_ROWS.items())
def test_mirroring_changes_the_papers_rows_not_the_symmetric_ones(cases, symmetric, paper):
    """x -> -x for every anchor and target. The symmetric EIoU is flip-invariant, so every
    case ends at the same IoU (measured <= 6e-8; 1e-4 allowed for the order of the backward's
    sums). The paper's EIoU measures disjoint pairs from the top-left corner:
    mirrored disjoint starts follow other paths (measured: up to 0.15 / 0.34 IoU apart, 30 % /
    60 % of them by more than 0.01), overlapping ones do not."""
    mirrored = _mirror(cases)
    assert torch.equal(mirrored.disjoint, cases.disjoint)
    assert torch.allclose(mirrored.start_iou, cases.start_iou, rtol=0, atol=1e-6)
    for name in (symmetric, paper):
        diff = (run_loss(name, cases, FLIP).final_iou
                - run_loss(name, mirrored, FLIP).final_iou).abs()
        assert float(diff[~cases.disjoint].max()) <= 1e-4, name
        if name == symmetric:
            assert float(diff.max()) <= 1e-4
        else:
            assert float(diff.max()) > 0.1
            assert float((diff[cases.disjoint] > 0.01).double().mean()) > 0.2


def test_cli_writes_results(tmp_path):
    out = tmp_path / 'sim'
    env = dict(os.environ, MMDET_EIOU_COMPILE='0', OMP_NUM_THREADS='1')
    proc = subprocess.run(
        [sys.executable, 'tools/simulate_regression.py', '--out', str(out), '--num-centres',
         '1', '--iters', '10', '--scales', '0.25', '1', '--seed', '0'],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    results = json.loads((out / 'results.json').read_text())
    assert list(results) == list(LOSSES)
    for name, summary in results.items():
        for key in ('final_mean_iou', 'final_mean_iou_disjoint_start', 'frac_iou_ge_0.9',
                    'iters_to_0.9', 'curve', 'frac_iou_ge_0.5_disjoint_start',
                    'final_mean_iou_by_scale', 'scale_spread'):
            assert key in summary, (name, key)
        assert len(summary['curve']) == 11
        assert 0 <= summary['final_mean_iou'] <= 1
        assert set(summary['final_mean_iou_by_scale']) == {'0.25', '1'}
    assert 'max_sot_factor' in results['eiou_p2_sot']
    assert 'max_sot_factor' in results['eiou_p2_sot_symmetric']
    assert {'eiou_p1_symmetric', 'eiou_p2_sot_symmetric'} <= set(results)
    assert (out / 'results.md').read_text().count('\n|') >= 2 * len(LOSSES)
    for png in ('iou_curves.png', 'error_maps.png', 'scales.png'):
        assert (out / png).stat().st_size > 1000
    meta = json.loads((out / 'run.json').read_text())
    assert meta['num_cases'] == 343 and meta['iters'] == 10
