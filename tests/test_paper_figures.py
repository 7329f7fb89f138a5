"""eiou_lab.analysis.paper_figures: the claims of the paper's Fig. 3, 4(c) and 5, asserted on
the numbers.

Fig. 3 is checked against the paper's worked values (1/7, -5/63, 0); Fig. 4(c) and 5 against the
behaviours their captions describe (oscillation vs convergence, scale invariance with SOT,
scale sensitivity and trapping without it). Each run is a few hundred single-box steps.
"""
import os.path as osp
import subprocess
import sys

import pytest
import torch

from eiou_lab.analysis import paper_figures


@pytest.fixture(scope='module')
def fig4():
    return paper_figures.fig4_trajectories()


@pytest.fixture(scope='module')
def fig5a():
    return paper_figures.fig5a_trajectories()


@pytest.fixture(scope='module')
def fig5b():
    return paper_figures.fig5b_trajectories()


def test_fig3_matches_the_papers_numbers():
    values = paper_figures.fig3_values()
    overlapping, touching = values['overlapping'], values['touching']
    assert overlapping['iou'] == pytest.approx(1 / 7, abs=1e-12)
    assert overlapping['eiou'] == pytest.approx(1 / 7, abs=1e-12)
    assert overlapping['giou'] == pytest.approx(-5 / 63, abs=1e-12)
    for name in ('iou', 'giou', 'eiou'):
        assert touching[name] == pytest.approx(0.0, abs=1e-12)
    # the point of the figure: GIoU ranks the better match lower, EIoU does not
    assert overlapping['giou'] < touching['giou']
    assert overlapping['eiou'] > touching['eiou']


def test_fig4c_smooth_eiou_converges(fig4):
    smooth = fig4['smooth_eiou']
    assert 1 - smooth.final_eiou < 1e-6
    assert float(smooth.loss[-1]) < 1e-10
    assert float(smooth.eiou[-50:].max() - smooth.eiou[-50:].min()) < 1e-6
    assert smooth.first_iteration_reaching(1 - 1e-4) < 50
    # only x2 and y2 move
    assert torch.equal(smooth.boxes[:, :2], torch.zeros_like(smooth.boxes[:, :2]))
    torch.testing.assert_close(smooth.boxes[-1], torch.tensor([0., 0., 1., 1.],
                                                              dtype=torch.float64))


def test_fig4c_neg_eiou_oscillates_around_the_optimum(fig4):
    neg_eiou = fig4['neg_eiou']
    torch.testing.assert_close(neg_eiou.loss, -neg_eiou.eiou)
    last_eiou = neg_eiou.eiou[-50:]
    assert float(last_eiou.max() - last_eiou.min()) > 0.1  # still swinging at the end
    assert float(last_eiou.mean()) < 0.95  # and not settling at the optimum
    # no damping: the last 50 iterations swing as widely as iterations 50-100
    middle_eiou = neg_eiou.eiou[50:100]
    assert float(last_eiou.max() - last_eiou.min()) > 0.5 * float(
        middle_eiou.max() - middle_eiou.min())
    # it oscillates *around* (1, 1): x2 keeps crossing 1
    side_of_optimum = torch.sign(neg_eiou.boxes[-50:, 2] - 1)
    assert int((side_of_optimum[1:] != side_of_optimum[:-1]).sum()) >= 20


def test_fig5a_sot_makes_the_curves_scale_invariant(fig5a):
    sot = fig5a['sot']
    assert paper_figures.max_deviation(sot, 'eiou') < 1e-6
    assert paper_figures.max_deviation(sot, 'loss') < 1e-6
    # the trajectory at scale s is s times the one at scale 1
    for scale, trajectory in sot.items():
        torch.testing.assert_close(trajectory.boxes, scale * sot[1.0].boxes, rtol=1e-9,
                                   atol=1e-12)
    # and they do converge (identical but stuck curves would also coincide)
    for trajectory in sot.values():
        assert trajectory.final_eiou > 1 - 1e-6


def test_fig5a_without_sot_larger_boxes_converge_slower(fig5a):
    no_sot = fig5a['no_sot']
    assert paper_figures.max_deviation(no_sot, 'eiou') > 1e-2
    assert paper_figures.max_deviation(no_sot, 'loss') > 1e-2
    first_good = [no_sot[scale].first_iteration_reaching(0.99) or float('inf')
                  for scale in paper_figures.FIG5A_SCALES]
    assert first_good == sorted(first_good) and first_good[0] < first_good[-1]
    assert no_sot[4.0].final_eiou < 0.9 < no_sot[1.0].final_eiou


def test_fig5b_without_sot_the_large_start_is_trapped(fig5b):
    sot, no_sot = fig5b['sot'], fig5b['no_sot']
    for trajectory in sot.values():
        assert trajectory.final_eiou > 0.99
    assert no_sot[0.5].final_eiou > 0.99 and no_sot[2.0].final_eiou > 0.99
    assert no_sot[4.0].final_eiou < 0.2  # started at 1/16
    assert sot[4.0].final_eiou - no_sot[4.0].final_eiou > 0.7


def test_the_sot_bound_never_binds_in_the_figures(fig4, fig5a, fig5b):
    """The figures share the simulation's M (SOT_MAX): the largest SOT factor of their SOT
    runs, U_e of the box in its own units (Eq. 21, 28), stays far below it."""
    from mmdet_eiou.ops import extended_intersection_union
    from eiou_lab.simulation import SOT_MAX
    runs = [(t, paper_figures.FIG4_TARGET) for t in fig4.values()]
    runs += [(t, (0., 0., s, s)) for s, t in fig5a['sot'].items()]
    runs += [(t, (0., 0., 1., 1.)) for t in fig5b['sot'].values()]
    largest = max(
        float(extended_intersection_union(t.boxes, torch.tensor([goal], dtype=torch.float64)
                                          .expand_as(t.boxes))[1].max()) for t, goal in runs)
    assert 17 < largest < 18 and largest < SOT_MAX / 100  # 17.3: Fig. 5a, s = 4


def test_cli_writes_the_figures(tmp_path, capsys):
    out_dir = tmp_path / 'figures'
    paths = paper_figures.main(['--out-dir', str(out_dir)])
    assert sorted(paths) == ['fig3', 'fig4', 'fig5']
    for path in paths.values():
        assert osp.dirname(path) == str(out_dir)
        with open(path, 'rb') as png:
            assert png.read(8) == b'\x89PNG\r\n\x1a\n'
        assert osp.getsize(path) > 10_000
    printed = capsys.readouterr().out
    for heading in ('Fig. 3', 'Fig. 4(c)', 'Fig. 5(a)', 'Fig. 5(b)'):
        assert heading in printed


def test_the_tool_is_the_modules_command_line():
    # tools/paper_figures.py only forwards to main(); --help proves the wiring without a rerun
    tool = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'tools', 'paper_figures.py')
    result = subprocess.run([sys.executable, tool, '--help'], capture_output=True, text=True,
                            check=True)
    assert '--out-dir' in result.stdout and 'docs/paper_figures.md' in result.stdout


def test_the_analysis_package_needs_no_mmdet():
    """``import eiou_lab.analysis`` (the figures, the localisation analysis) works where mmdet
    cannot be imported, as the package's docstring says."""
    code = ("import sys\n"
            "sys.modules['mmdet'] = None  # as if mmdet were not installed\n"
            "import eiou_lab.analysis\n"
            "assert not [m for m in sys.modules if m.startswith(('mmdet.', 'mmcv'))]\n")
    subprocess.run([sys.executable, '-c', code], check=True, capture_output=True)


def test_standard_measures_agree_with_mmdet():
    """The package's independent IoU/GIoU (no mmdet needed) equals mmdet's bbox_overlaps."""
    from mmdet.structures.bbox import bbox_overlaps
    g = torch.Generator().manual_seed(0)
    xy = torch.rand(200, 2, 2, generator=g, dtype=torch.float64) * 20
    wh = torch.rand(200, 2, 2, generator=g, dtype=torch.float64) * 8 + 0.5
    a = torch.cat([xy[:, 0], xy[:, 0] + wh[:, 0]], 1)
    b = torch.cat([xy[:, 1], xy[:, 1] + wh[:, 1]], 1)
    ours = torch.tensor([paper_figures.standard_iou_and_giou(p, q) for p, q in zip(a, b)],
                        dtype=torch.float64)
    iou = bbox_overlaps(a, b, mode='iou', is_aligned=True)
    giou = bbox_overlaps(a, b, mode='giou', is_aligned=True)
    assert (iou == 0).any() and (iou > 0).any()  # disjoint and overlapping pairs
    torch.testing.assert_close(ours[:, 0], iou)
    torch.testing.assert_close(ours[:, 1], giou)
