"""eiou_lab.experiments on small inputs: statistics against hand-computed numbers, study files,
the plan (names, order, what is done, the store), derived configs and the report."""
import json
import math
import os.path as osp

import pytest

from eiou_lab.experiments import plan as plan_mod
from eiou_lab.experiments import report, run_config, stats
from eiou_lab.experiments.study import Row, Study, TuningGroup, TuningPoint, load_study

FR = 'configs/synthetic/faster-rcnn_r18_'
ROW1 = FR + '1-smoothl1_precision.py'
ROW8 = FR + '8-eiou-ct-sot-iouhead_precision.py'
THRS = [0.5, 0.75, 0.9]


# ------------------------------------------------------------------------------ statistics
def test_t_interval_matches_hand_computation():
    # diffs 1, 2, 0: mean 1, sample std 1; t(0.975, 2) = 4.302653 (tables), / sqrt(3)
    gain = stats.paired_gain({0: 71.0, 1: 72.0, 2: 71.0}, {0: 70.0, 1: 70.0, 2: 71.0})
    assert gain['mean'] == pytest.approx(1.0)
    assert gain['half'] == pytest.approx(4.302653 / math.sqrt(3), abs=1e-5)
    assert gain['n'] == 3 and gain['per_seed'] == {0: 1.0, 1: 2.0, 2: 0.0}
    # five seeds: t(0.975, 4) = 2.776445; diffs -1, 0, 1, 2, 3 -> std sqrt(2.5)
    assert stats.t_half_width([-1, 0, 1, 2, 3]) == pytest.approx(
        2.776445 * math.sqrt(2.5) / math.sqrt(5), abs=1e-5)


def test_gain_uses_only_seeds_both_rows_measured():
    gain = stats.paired_gain({0: 5.0, 1: float('nan'), 3: 9.0}, {0: 4.0, 1: 1.0, 2: 0.0})
    assert gain['n'] == 1 and gain['mean'] == 1.0 and math.isnan(gain['half'])
    empty = stats.paired_gain({}, {0: 1.0})
    assert empty['n'] == 0 and math.isnan(empty['mean'])


def test_mean_spread_skips_unmeasured_values():
    s = stats.mean_spread([1.0, float('nan'), 3.0])
    assert s == dict(mean=2.0, std=pytest.approx(math.sqrt(2)), n=2)
    assert stats.mean_spread([4.0]) == dict(mean=4.0, std=0.0, n=1)


# ------------------------------------------------------------------------------ studies
def write_study(tmp_path, text):
    path = tmp_path / 'study.py'
    path.write_text(text)
    return str(path)


def test_study_file_rows_tuning_and_defaults(tmp_path):
    study = load_study(write_study(tmp_path, f'''
rows = ['{ROW1}', dict(config='{ROW8}', seeds=[0], label='method')]
seeds = [0, 1]
splits = ['val', 'test']
cfg_options = ['a.b=1']
tuning = [dict(config='{ROW1}', param='beta', chosen='1/9', points=[
    dict(value='1/9'), dict(value='1', tag='b1', cfg_options=['c=2'])])]
'''))
    assert [r.name for r in study.rows] == ['faster-rcnn_r18_1-smoothl1_precision',
                                            'faster-rcnn_r18_8-eiou-ct-sot-iouhead_precision']
    assert study.baseline == study.rows[0].name  # the first row unless given
    assert study.rows[1].title == 'method' and study.seeds_of(study.rows[1]) == (0, )
    point = study.tuning[0].points[1].row
    assert point.name.endswith('_b1') and point.cfg_options == ('a.b=1', 'c=2')


@pytest.mark.parametrize('kwargs, message', [
    (dict(tag='x', cfg_options=('a=1', ), test_options=('b=2', )), 'give it a tag'),
    (dict(test_options=('b=2', )), 'give it a tag'),
    (dict(from_tag='y'), 'from_tag goes with test_options'),
    (dict(at_iter=2), 'give it a tag'),
    (dict(tag='x', at_iter=0), 'positive iteration'),
])
def test_row_refuses_ambiguous_points(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Row(ROW1, **kwargs)


def test_study_refuses_unknown_baseline_split_and_twice_a_row():
    with pytest.raises(ValueError, match='baseline'):
        Study('s', [Row(ROW1)], baseline='nope')
    with pytest.raises(ValueError, match='split'):
        Study('s', [Row(ROW1)], splits=('train', ))
    with pytest.raises(ValueError, match='twice'):
        Study('s', [Row(ROW1), Row(ROW1)])


# ------------------------------------------------------------------------------ the plan
def test_plan_order_names_and_inference_only_points(tmp_path):
    point = Row(ROW8, tag='nms', test_options=('m=nms', ), from_tag='kl1')
    group = TuningGroup('iou_guided', (TuningPoint('nms', point), TuningPoint('', Row(ROW1))))
    study = Study('s', [Row(ROW1), Row(ROW8, seeds=(0, ))], seeds=(0, 1),
                  splits=('val', 'test'), tuning=[group])
    runs = plan_mod.plan(study, str(tmp_path))
    keys = [r.key for r in runs]
    # the tuning points first (val, first seed); the untagged one only once
    assert keys[0] == (point.name, 0, 'val') and keys.count((study.rows[0].name, 0, 'val')) == 1
    # then seed-major per split, row 8 only on its seed 0
    assert keys[1:] == [(study.rows[0].name, 0, 'val'), (study.rows[1].name, 0, 'val'),
                        (study.rows[0].name, 1, 'val'), (study.rows[0].name, 0, 'test'),
                        (study.rows[1].name, 0, 'test'), (study.rows[0].name, 1, 'test')]
    assert not runs[0].trains
    assert runs[0].train_dir == osp.join(str(tmp_path), point.train_name, 'seed0')
    assert point.train_name == 'faster-rcnn_r18_8-eiou-ct-sot-iouhead_precision_kl1'


def test_done_runs_come_from_work_dir_or_store_and_are_recorded_once(tmp_path):
    store = tmp_path / 'store'
    run = plan_mod.Run(Row(ROW1), 0, 'val', str(tmp_path / 'work'), str(store))
    assert not run.is_done() and run.metrics() is None and not run.record()
    (tmp_path / 'work' / run.row.name / 'seed0').mkdir(parents=True)
    with open(run.metrics_file, 'w') as f:
        json.dump({'AP': 1.0}, f)
    assert run.is_done() and run.record() and not run.record()  # copied once
    assert json.loads(open(run.record_file).read()) == {'AP': 1.0}
    elsewhere = plan_mod.Run(Row(ROW1), 0, 'val', str(tmp_path / 'fresh'), str(store))
    assert elsewhere.is_done() and elsewhere.metrics() == {'AP': 1.0}  # from the store


# ------------------------------------------------------------------------------ configs
def test_score_config_uses_the_splits_own_loader_and_evaluator(tmp_path):
    train = run_config.write_train_config(ROW1, 3, str(tmp_path), data_root='/data/x',
                                          max_iters=100)
    cfg = run_config.load_config(train)
    assert cfg.randomness.seed == 3 and cfg.train_cfg.max_iters == 100
    assert cfg.train_cfg.val_begin > 100  # mmengine validates at the end unless not begun
    assert cfg.param_scheduler[-1]['milestones'] == [75, 90]  # 750 / 900 of 1000, scaled
    assert cfg.test_dataloader.dataset.data_root == '/data/x/'
    assert cfg.val_evaluator.ann_file == '/data/x/val.json'
    score = run_config.load_config(run_config.write_score_config(train, 'val', str(tmp_path)))
    assert score.test_dataloader.dataset.ann_file == 'val.json'
    assert score.test_evaluator.ann_file == '/data/x/val.json'
    assert list(score.test_evaluator.ap_iou_thrs)[::9] == [0.5, 0.95]  # from the config
    test = run_config.load_config(run_config.write_score_config(train, 'test', str(tmp_path)))
    assert test.test_dataloader.dataset.ann_file == 'test.json'
    # the config's logger options stay; only the main process writes the test record
    assert test.default_hooks.logger.type == run_config.SCORE_LOGGER
    assert test.default_hooks.logger.interval == cfg.default_hooks.logger.interval


def test_only_the_main_process_writes_the_test_record(monkeypatch):
    from mmdet.registry import HOOKS  # the scope our configs train and score in

    from eiou_lab import main_process_logger_hook
    hook = HOOKS.build(dict(type=run_config.SCORE_LOGGER))
    monkeypatch.setattr(main_process_logger_hook, 'is_main_process', lambda: False)
    hook.after_test_epoch(runner=None)  # another rank: touches neither runner nor file
    monkeypatch.setattr(main_process_logger_hook, 'is_main_process', lambda: True)
    with pytest.raises(AttributeError, match='log_processor'):
        hook.after_test_epoch(runner=None)  # the main process logs and writes as mmengine does


def test_coco_metric_is_scored_by_our_subclass_and_others_are_refused():
    upgraded = run_config.ap_curve_evaluator(dict(type='CocoMetric', ann_file='a.json'))
    assert upgraded['type'] == 'mmdet_eiou.CocoAPAtIoUMetric'
    assert upgraded['ap_iou_thrs'] == run_config.COCO_IOU_THRS
    kept = run_config.ap_curve_evaluator(dict(type='mmdet_eiou.CocoAP90Metric',
                                              ap_iou_thrs=(0.9, )))
    assert kept['ap_iou_thrs'] == (0.9, )
    with pytest.raises(ValueError, match='VOCMetric'):
        run_config.ap_curve_evaluator(dict(type='VOCMetric'))


# ------------------------------------------------------------------------------ report
def metrics(ap, curve):
    return dict(AP=ap, AP50=curve[0], AP75=curve[1], AP90=curve[2], APs=math.nan,
                APm=ap, APl=ap, ap_at_iou=curve, iou_thrs=THRS)


def test_report_tables_from_metrics(tmp_path):
    results = {'base': {0: metrics(50.0, [80.0, 50.0, 10.0]), 1: metrics(52.0, [82, 52, 12])},
               'new': {0: metrics(51.0, [80.0, 52.0, 14.0]), 1: metrics(55.0, [83, 55, 17])}}
    summary = report.summarise(results, 'base')
    assert summary['rows']['new']['AP'] == dict(mean=53.0, std=pytest.approx(2 * math.sqrt(2)),
                                                n=2)
    ap90 = summary['gains']['new']['ap@0.9']
    # diffs 4 and 5: std sqrt(1/2); t(0.975, 1) = 12.706205 (tables)
    assert ap90['mean'] == 4.5 and ap90['half'] == pytest.approx(
        12.706205 * math.sqrt(0.5) / math.sqrt(2), abs=1e-4)
    study = Study('s', [Row('x/base.py', label='the baseline'), Row('x/new.py')])
    table = report.headline_table(study, summary)
    assert ('| the baseline | 51.0 ± 1.4 | 51.0 ± 1.4 | 11.0 ± 1.4 | baseline | baseline | '
            'baseline | 2 |') in table
    assert ('| new | 53.0 ± 2.8 | 53.5 ± 2.1 | 15.5 ± 2.1 | +2.0 ± 12.7 | +2.5 ± 6.4 | '
            '+4.5 ± 6.4 | 2 |') in table
    assert '| new | +0.5 ± 6.4 | +2.5 ± 6.4 | +4.5 ± 6.4 | 2 |' in report.gain_table(summary)
    # README's table of a study may show some rows only (its readme_rows)
    assert report.headline_table(study, summary, ['new']).count('\n') == 3
    with pytest.raises(ValueError, match='readme_rows must name rows'):
        Study('s', study.rows, readme_rows=('nope', ))
    mixed = dict(results, other={0: dict(metrics(1.0, [1, 1, 1]), iou_thrs=[0.5, 0.6, 0.7])})
    with pytest.raises(ValueError, match='different IoU thresholds'):
        report.summarise(mixed, 'base')


def test_a_point_at_an_earlier_iteration_scores_that_checkpoint(synthetic_data, tmp_path):
    """``at_iter``: trained once (the row keeps every checkpoint), scored at its end and at
    iteration 2; the earlier point trains nothing, and a checkpoint that was not kept is
    named in the error. On a new checkout (the store has the metrics, not the checkpoints) a
    new point trains the recorded row again, says whether it reproduced its record (scored
    once: the point at its last iteration scores the same checkpoint), and leaves the record
    as it was."""
    import shutil
    from conftest import write_micro_config
    from eiou_lab.experiments import LocalBackend, run_study
    config = write_micro_config(tmp_path / 'micro.py',
                                'configs/synthetic/retinanet_r18_1-smoothl1_synthetic.py',
                                synthetic_data, max_iters=3)
    early = Row(config, tag='at2', at_iter=2)
    assert early.scores_only and early.train_name == 'micro'
    store, work = tmp_path / 'store', tmp_path / 'work'
    study = Study('s', [Row(config), early, Row(config, tag='at9', at_iter=9)], store=str(store))
    out = run_study(study, str(work), LocalBackend(), printer=lambda *a: None)
    assert list(out['failed']) == ['micro_at9 seed 0 (val)']
    assert 'iter_9.pth is missing' in str(out['failed']['micro_at9 seed 0 (val)'])
    log = (work / 'micro_at2' / 'seed0' / 'run.log').read_text()
    assert osp.join('micro', 'seed0', 'iter_2.pth') in log and 'train.py' not in log
    assert not (work / 'micro_at2' / 'seed0' / 'last_checkpoint').exists()
    for name in ('micro', 'micro_at2'):
        assert (work / name / 'seed0' / 'metrics_val.json').is_file()
    record = (store / 'micro' / 'seed0' / 'metrics_val.json').read_bytes()

    shutil.rmtree(work)  # a new checkout: records, no checkpoints
    said = []
    study = Study('s', [Row(config), early, Row(config, tag='at3', at_iter=3)], store=str(store))
    out = run_study(study, str(work), LocalBackend(printer=said.append), printer=said.append)
    assert out['failed'] == {}
    assert 'micro seed 0 (val): recorded, but its checkpoints are not in' in '\n'.join(said)
    assert any('micro seed 0: trained again: ' in line and '(scored as micro_at3)' in line
               for line in said), said
    assert any('micro_at3 scores its checkpoint and checks its record' in line
               for line in said), said
    assert not (work / 'micro' / 'seed0' / 'metrics_val.json').exists()  # scored once
    assert 'micro_at2 seed 0 (val): done before' in said  # recorded: not scored again
    assert not (work / 'micro_at2').exists()
    assert (store / 'micro_at3' / 'seed0' / 'metrics_val.json').is_file()
    assert (store / 'micro' / 'seed0' / 'metrics_val.json').read_bytes() == record


def test_a_point_at_an_earlier_iteration_is_paired_with_the_baseline_at_that_iteration():
    study = Study('s', [Row(ROW1), Row(ROW8), Row(ROW1, tag='it1', at_iter=1),
                        Row(ROW8, tag='it1', at_iter=1), Row(ROW8, tag='it2', at_iter=2)])
    base, early = study.baseline, 'faster-rcnn_r18_1-smoothl1_precision_it1'
    assert study.baselines() == {
        base: base, ROW8.split('/')[-1][:-3]: base, early: early,
        'faster-rcnn_r18_8-eiou-ct-sot-iouhead_precision_it1': early,
        'faster-rcnn_r18_8-eiou-ct-sot-iouhead_precision_it2': base}  # no baseline at 2
    curve = [10.0, 5.0, 1.0]
    results = {name: {0: metrics(ap, curve), 1: metrics(ap + 1, curve)}
               for name, ap in ((base, 70.0), (early, 20.0),
                                ('faster-rcnn_r18_8-eiou-ct-sot-iouhead_precision_it1', 23.0))}
    summary = report.summarise(results, base, baselines=study.baselines())
    gain = summary['gains']['faster-rcnn_r18_8-eiou-ct-sot-iouhead_precision_it1']['AP']
    assert gain['mean'] == pytest.approx(3.0) and gain['n'] == 2
    assert summary['paired_with'] == {  # the baseline at 1 is the baseline of its rows
        'faster-rcnn_r18_8-eiou-ct-sot-iouhead_precision_it1': early}
    assert 'baseline' in report.headline_table(study, summary).splitlines()[3]


def test_a_slurm_job_of_an_earlier_iteration_scores_that_checkpoint(tmp_path):
    from eiou_lab.experiments import SlurmBackend
    run = plan_mod.Run(Row(ROW1, tag='at200', at_iter=200), 0, 'val', str(tmp_path))
    script = SlurmBackend('p', gpus=1).job_script(run)
    checkpoint = osp.join(str(tmp_path), 'faster-rcnn_r18_1-smoothl1_precision', 'seed0',
                          'iter_200.pth')
    assert checkpoint in script and 'last_checkpoint' not in script
    assert 'slurm_train.sh' not in script  # it trains nothing


def test_only_some_rows_of_a_study_keep_the_baseline_and_the_steps_between_them():
    from eiou_lab.experiments.study import config_name as name
    from eiou_lab.experiments.study import with_rows
    row3 = ROW1.replace('1-smoothl1', '3-giou')
    study = Study('s', [Row(ROW1), Row(row3), Row(ROW8)],
                  steps=[(name(row3), name(ROW1)), (name(ROW8), name(row3))],
                  report='docs/s/{split}')
    only = with_rows(study, [name(ROW8)])
    assert [r.name for r in only.rows] == [name(ROW1), name(ROW8)]  # the baseline pairs it
    assert only.report is None  # never over the whole study's report
    assert only.steps == [] and with_rows(study, [name(row3)]).steps == [study.steps[0]]
    with pytest.raises(ValueError, match='are not rows'):
        with_rows(study, ['missing'])
