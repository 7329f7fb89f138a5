"""tools/ablation.py: trains, scores (through CocoAP90Metric), tabulates, plots, skips finished
runs, resumes killed ones, scales the LR milestones with --max-iters, trains side by side
(--jobs) and then scores alone."""
import glob
import json
import math
import os
import os.path as osp
import time

import pytest

from conftest import FRCNN_ROW1, PYTHON, RETINA_ROW1, run_tool


@pytest.fixture(scope='module')
def ablation(tmp_path_factory, synthetic_data):
    """One run trained with --train-only, then scored by the same call without it; what the
    first call left is kept for the tests."""
    tmp = tmp_path_factory.mktemp('ablation')
    args = [PYTHON, 'tools/ablation.py', '--rows', FRCNN_ROW1, '--seeds', '0', '--max-iters',
            '4', '--data-root', synthetic_data, '--work-dir', str(tmp / 'runs'), '--out',
            str(tmp / 'out')]
    trained = run_tool(args + ['--train-only'])
    run_dir = tmp / 'runs' / 'faster-rcnn_r18_1-smoothl1_synthetic' / 'seed0'
    after_training = dict(trained=(run_dir / 'trained').is_file(),
                          metrics=sorted(p.name for p in run_dir.glob('metrics_*.json')),
                          side_by_side=(run_dir / 'side_by_side').exists())
    first = run_tool(args)
    return tmp, args, first, (trained, after_training)


def test_run_is_scored_tabulated_and_plotted(ablation):
    tmp, _, first, _ = ablation
    assert 'Iter(test) [2/2]' in first.stdout  # progress reaches the console
    run_dir = tmp / 'runs' / 'faster-rcnn_r18_1-smoothl1_synthetic' / 'seed0'
    metrics = json.loads((run_dir / 'metrics_val.json').read_text())
    assert len(metrics['ap_at_iou']) == 10 and metrics['train_s_per_iter'] > 0
    # one scoring path: the numbers are what CocoAP90Metric logged in tools/test.py
    test_json = glob.glob(str(run_dir / 'test_val' / '2*' / '2*.json'))[0]
    logged = json.loads(open(test_json).read().splitlines()[-1])
    assert metrics['AP'] == pytest.approx(100 * logged['coco/bbox_mAP'])
    assert metrics['AP90'] == pytest.approx(100 * logged['coco/bbox_mAP_90'])
    assert metrics['ap_at_iou'][0] == pytest.approx(100 * logged['coco/bbox_mAP_50'])
    # --max-iters 4 scales the 500-iteration schedule's milestones (375, 450) alike
    from mmengine.config import Config
    cfg = Config.fromfile(str(run_dir / 'run_config.py'))
    assert cfg.train_cfg.max_iters == 4 and cfg.param_scheduler[-1]['milestones'] == [3, 4]
    table = (tmp / 'out' / 'results.md').read_text()
    assert '| faster-rcnn_r18_1-smoothl1_synthetic |' in table and 'AP90' in table
    for png in ('ap_vs_iou.png', 'predictions.png'):
        assert (tmp / 'out' / png).stat().st_size > 10_000


def test_train_only_trains_and_a_later_call_scores(ablation):
    tmp, args, scored, (trained, after_training) = ablation
    assert 'Iter(train)' in trained.stdout and 'Iter(test)' not in trained.stdout
    assert 'Iter(val)' not in trained.stdout  # scoring is the one evaluation
    assert after_training['trained'] and not after_training['metrics']
    assert not after_training['side_by_side']  # alone: its s/iter is a timing
    assert 'Iter(train)' not in scored.stdout and 'Iter(test)' in scored.stdout  # not retrained
    run_dir = tmp / 'runs' / 'faster-rcnn_r18_1-smoothl1_synthetic' / 'seed0'
    metrics = json.loads((run_dir / 'metrics_val.json').read_text())
    assert metrics['train_s_per_iter'] > 0
    refused = run_tool(args + ['--train-only', '--report-only'], check=False)
    assert refused.returncode != 0 and '--train-only trains' in refused.stderr


def test_finished_runs_are_skipped_and_killed_runs_resume(ablation):
    tmp, args, _, _ = ablation
    again = run_tool(args)
    assert 'done before' in again.stdout
    # --skip-if-done: nothing is read back or rewritten when every run was scored before
    fresh_out = tmp / 'out_skipped'
    skipped = run_tool(args[:-1] + [str(fresh_out), '--skip-if-done'])
    assert 'all 1 run(s) done before (val): skipped' in skipped.stdout
    assert not (fresh_out / 'results.md').exists()
    run_dir = tmp / 'runs' / 'faster-rcnn_r18_1-smoothl1_synthetic' / 'seed0'
    (run_dir / 'metrics_val.json').unlink()  # as if killed after its last checkpoint
    (run_dir / 'trained').unlink()
    resumed = run_tool(args)
    assert 'trained' in resumed.stdout
    assert 'Auto resumed from the latest checkpoint' in (run_dir / 'run.log').read_text()
    assert osp.isfile(run_dir / 'metrics_val.json')


def test_inference_only_point_scores_the_untagged_checkpoint(ablation):
    tmp, args, _, _ = ablation
    point = run_tool(args + ['--tag', 'top1', '--test-options',
                             'model.test_cfg.rcnn.max_per_img=1'])
    assert 'scored' in point.stdout and 'Iter(train)' not in point.stdout  # nothing trained
    runs = tmp / 'runs'
    tagged = runs / 'faster-rcnn_r18_1-smoothl1_synthetic_top1' / 'seed0'
    assert not glob.glob(str(tagged / '*.pth'))
    untagged = (runs / 'faster-rcnn_r18_1-smoothl1_synthetic' / 'seed0' / 'last_checkpoint')
    assert untagged.read_text().strip() in (tagged / 'run.log').read_text()
    # the option reached the scoring: at most one detection per image, where the same
    # checkpoint scored as it is gives more
    import pickle

    def detections_per_image(run_dir):
        with open(run_dir / 'predictions_val.pkl', 'rb') as f:
            return [len(p['pred_instances']['scores']) for p in pickle.load(f)]
    assert max(detections_per_image(untagged.parent)) > 1
    assert all(n <= 1 for n in detections_per_image(tagged))
    with pytest.raises(AssertionError, match='give it a --tag'):
        run_tool(args + ['--test-options', 'model.test_cfg.rcnn.max_per_img=1'])
    # --from-tag scores another, tagged run's checkpoint, never an untrained one
    untrained = run_tool(args + ['--tag', 'top1b', '--from-tag', 'missing', '--test-options',
                                 'model.test_cfg.rcnn.max_per_img=1'], check=False)
    assert untrained.returncode != 0 and 'has not finished training' in untrained.stdout
    from_top1 = run_tool(args + ['--tag', 'top2', '--from-tag', 'top1', '--test-options',
                                 'model.test_cfg.rcnn.max_per_img=2'], check=False)
    assert from_top1.returncode != 0  # top1 was only scored, never trained


def test_jobs_train_side_by_side_then_score_alone(tmp_path, synthetic_data):
    runs = tmp_path / 'runs'
    out = run_tool([PYTHON, 'tools/ablation.py', '--rows', FRCNN_ROW1, RETINA_ROW1, '--seeds',
                    '0', '--max-iters', '4', '--data-root', synthetic_data, '--work-dir',
                    str(runs), '--out', str(tmp_path / 'out'), '--jobs', '2']).stdout
    # both trainings before any scoring, and each began before the other had finished
    assert out.rfind('Iter(train)') < out.find('Iter(test)')
    dirs = [runs / osp.basename(row)[:-3] / 'seed0' for row in (FRCNN_ROW1, RETINA_ROW1)]
    started = [time.mktime(time.strptime(osp.basename(glob.glob(str(d / '2*_*'))[0]),
                                         '%Y%m%d_%H%M%S')) for d in dirs]
    finished = [(d / 'trained').stat().st_mtime for d in dirs]
    assert started[0] < finished[1] and started[1] < finished[0]
    threads = max(1, (os.cpu_count() or 1) // 2)
    for run_dir in dirs:
        assert (run_dir / 'side_by_side').read_text() == f'{threads} torch threads\n'
        metrics = json.loads((run_dir / 'metrics_val.json').read_text())
        assert math.isnan(metrics['train_s_per_iter'])  # a shared machine's time: not reported
        assert metrics['infer_ms_per_img'] > 0 and len(metrics['ap_at_iou']) == 10
    table = (tmp_path / 'out' / 'results.md').read_text()
    assert 'train s/iter n/a: trained side by side' in table
    assert '| retinanet_r18_1-smoothl1_synthetic |' in table
