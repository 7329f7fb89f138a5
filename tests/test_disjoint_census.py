"""The disjoint-pair census: the hook's counts and sources on real heads, the summaries, the
census study end to end (train, record, report) on a micro model."""
import json
import math
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from conftest import ROOT, write_micro_config
from eiou_lab.analysis import disjoint_census as dc
from eiou_lab.disjoint_census_hook import CENSUS_FILE, positive_pairs
from mmdet_eiou.ops import extended_iou


def test_positive_pairs_follow_the_weight_of_each_row():
    pred = torch.arange(12.).view(3, 4)
    target = pred + 1
    p, t, keep = positive_pairs((pred, target), {})
    assert p.shape == (3, 4) and torch.equal(t, target) and keep.tolist() == [True] * 3
    p, _, keep = positive_pairs((pred, target, torch.tensor([0., 2., 0.])), {})
    assert torch.equal(p, pred[1:2]) and keep.tolist() == [False, True, False]
    w4 = torch.zeros(3, 4)
    w4[2] = 1
    p, _, keep = positive_pairs((pred, ), dict(target=target, weight=w4))
    assert torch.equal(p, pred[2:]) and keep.tolist() == [False, False, True]


def record(i, **sources):
    return dict(iter=i, sources={k: dict(pairs=v[0], disjoint=v[1], touching=0, eiou=v[2])
                                 for k, v in sources.items()})


def test_a_resumed_census_keeps_the_last_line_of_each_iteration(tmp_path):
    path = tmp_path / CENSUS_FILE
    lines = [record(1, all=(4, 1, [-0.5])), record(2, all=(4, 0, [])),
             record(2, all=(4, 2, [-0.1, -0.2])), record(3, all=(2, 0, []))]
    path.write_text(''.join(json.dumps(r) + '\n' for r in lines))
    records = dc.read_census(str(path))
    assert [r['iter'] for r in records] == [1, 2, 3]
    assert records[1]['sources']['all']['disjoint'] == 2


def test_ranges_fractions_and_medians_are_pooled_over_pairs():
    records = [record(i, decoder=(10, 5 if i <= 2 else 0, [-0.1 * i] * (5 if i <= 2 else 0)),
                      denoising=(30, 0, [])) for i in range(1, 61)]
    assert dc.ranges_of(60) == [(1, 50), (51, 60)]
    assert dc.ranges_of(50) == [(1, 50)]
    assert dc.sources(records) == ['decoder', 'denoising', 'total']
    first = dc.summarise(records, 'decoder', 1, 50)
    assert first['disjoint'] == 10 and first['disjoint_frac'] == pytest.approx(10 / 500)
    assert first['median_eiou'] == pytest.approx(-0.15)
    total = dc.summarise(records, dc.TOTAL, 1, 50)
    assert total['disjoint_frac'] == pytest.approx(10 / 2000)
    assert total['pairs_per_iter'] == 40
    later = dc.summarise(records, 'decoder', 51, 60)
    assert later['disjoint_frac'] == 0 and math.isnan(later['median_eiou'])
    assert dc.last_disjoint_iter(records, 'decoder') == 2
    assert dc.last_disjoint_iter(records, 'denoising') is None
    iters, fractions = dc.curve(records, 'decoder')
    assert iters[:3] == [1, 2, 3] and fractions[:3] == [0.5, 0.5, 0.0]


def test_the_report_has_a_line_per_family_and_source(tmp_path):
    runs = {'a': [record(i, all=(4, 1 if i == 1 else 0, [-0.3] if i == 1 else []))
                  for i in range(1, 101)],
            'b': [record(i, decoder=(6, 0, []), encoder=(2, 0, [])) for i in range(1, 101)]}
    summary = dc.write_report(runs, {'a': 'A', 'b': 'B'}, str(tmp_path), 'cmd',
                              {'a': dict(AP=12.34, AP50=40.0), 'b': None})
    text = (tmp_path / 'results.md').read_text()
    assert '| A (100 iters) | 12.3 / 40.0 | all | 4.0 | 0.50 | 0 | 0.25 | 0 | -0.300 | 1 |' \
        in text
    assert '| B (100 iters) | n/a | decoder |' in text and '|  |  | encoder |' in text
    assert '|  |  | total |' in text and 'never' in text
    assert (tmp_path / 'census.png').stat().st_size > 0
    assert json.loads((tmp_path / 'census.json').read_text())['a']['budget'] == 100
    assert summary['b']['sources']['total']['whole']['disjoint_frac'] == 0


def train_census(config, synthetic_data, tmp_path, iters=2):
    cfg_path = write_micro_config(tmp_path / 'micro.py', config, synthetic_data,
                                  max_iters=iters, extra='default_hooks["checkpoint"]'
                                  '["interval"] = 100')
    cfg = Config.fromfile(cfg_path)
    cfg.work_dir = str(tmp_path / 'work')
    cfg.train_cfg.val_interval = 1000
    cfg.visualizer.name = f'census-{osp.basename(str(tmp_path))}'
    runner = Runner.from_cfg(cfg)
    runner.train()
    return runner, dc.read_census(osp.join(cfg.work_dir, CENSUS_FILE))


def test_dino_pairs_are_split_into_decoder_encoder_and_denoising(synthetic_data, tmp_path):
    runner, records = train_census('configs/census/dino_r18_census.py', synthetic_data,
                                   tmp_path)
    assert [r['iter'] for r in records] == [1, 2]
    head = runner.model.bbox_head
    layers = runner.cfg.model.decoder.num_layers
    for r in records:
        counts = r['sources']
        assert set(counts) == {'decoder', 'encoder', 'denoising'}
        # every decoder layer matches every ground truth once; the encoder's proposals too
        assert counts['decoder']['pairs'] == layers * counts['encoder']['pairs'] > 0
        assert counts['denoising']['pairs'] > 0
        for c in counts.values():
            assert len(c['eiou']) == c['disjoint'] and all(v < 0 for v in c['eiou'])
    # the wrappers are gone after training: the class methods again
    assert 'loss_by_feat' not in vars(head) and 'loss_dn' not in vars(head)


def test_the_census_counts_what_extended_iou_says(synthetic_data, tmp_path):
    """The hook's disjoint count of one iteration equals extended_iou < 0 over the pairs the
    loss received (recorded independently here by a second forward hook)."""
    cfg_path = write_micro_config(tmp_path / 'micro.py', 'configs/census/yolox_nano_census.py',
                                  synthetic_data, max_iters=2)
    cfg = Config.fromfile(cfg_path)
    cfg.work_dir = str(tmp_path / 'work')
    cfg.train_cfg.val_interval = 1000
    cfg.visualizer.name = 'census-yolox'
    runner = Runner.from_cfg(cfg)
    seen = []
    runner.model.bbox_head.loss_bbox.register_forward_hook(
        lambda m, args, out: seen.append(extended_iou(args[0].detach(), args[1].detach())))
    runner.train()
    records = dc.read_census(osp.join(cfg.work_dir, CENSUS_FILE))
    assert len(records) == len(seen) == 2
    for r, eiou in zip(records, seen):
        c = r['sources']['all']
        assert c['pairs'] == eiou.numel()
        assert c['disjoint'] == int((eiou < 0).sum()) and c['touching'] == int((eiou == 0).sum())


def test_a_model_without_our_loss_must_name_the_losses_to_watch(synthetic_data, tmp_path):
    cfg_path = write_micro_config(
        tmp_path / 'micro.py', 'configs/synthetic/yolox_nano_1-iou_precision.py',
        synthetic_data, max_iters=1,
        extra="custom_hooks = [dict(type='eiou_lab.DisjointCensusHook')]")
    cfg = Config.fromfile(cfg_path)
    cfg.work_dir = str(tmp_path / 'work')
    cfg.visualizer.name = 'census-none'
    with pytest.raises(ValueError, match='name the box losses'):
        Runner.from_cfg(cfg).train()
    cfg.custom_hooks = [dict(type='eiou_lab.DisjointCensusHook',
                             losses=['bbox_head.loss_bbox'])]
    cfg.visualizer.name = 'census-named'
    cfg.work_dir = str(tmp_path / 'work2')
    Runner.from_cfg(cfg).train()  # mmdet's IoULoss watched by name
    records = dc.read_census(osp.join(cfg.work_dir, CENSUS_FILE))
    assert records and records[0]['sources']['all']['pairs'] > 0


@pytest.mark.parametrize('config,detr_style', [
    ('configs/synthetic/dino_r18_1-giou_precision.py', True),
    ('configs/census/detr_r18_census.py', True),
    ('configs/synthetic/retinanet_r18_6-eiou-ct-sot-iouhead_precision.py', False),
    ('configs/census/fcos_r18_census.py', False)])
def test_only_detr_style_heads_get_sources(config, detr_style):
    """A dense head with its own loss_by_feat/loss_by_feat_single and an IoU branch
    (IoURetinaHead) is not mistaken for a DETR-style head."""
    from mmdet.registry import MODELS
    from mmengine.registry import init_default_scope
    from eiou_lab.disjoint_census_hook import DETRSourceTracker
    init_default_scope('mmdet')
    head = MODELS.build(Config.fromfile(osp.join(ROOT, config)).model).bbox_head
    tracker = DETRSourceTracker()
    assert tracker.install(head) is detr_style
    assert ('loss_by_feat' in vars(head)) is detr_style
    tracker.remove()
    assert 'loss_by_feat' not in vars(head)


def test_a_census_study_trains_records_and_reports_once(synthetic_data, tmp_path):
    """Through the study runner's local backend: trained and scored, the census file recorded
    beside the metrics, the report written; called again (another work dir), nothing runs and
    the report comes from the store alone."""
    from eiou_lab.experiments import LocalBackend
    from eiou_lab.experiments.census import run_census
    from eiou_lab.experiments.study import Study, make_row
    config = write_micro_config(tmp_path / 'micro.py', 'configs/census/yolox_nano_census.py',
                                synthetic_data, max_iters=2)
    study = Study('micro census', [make_row(dict(config=config, label='YOLOX'))],
                  store=str(tmp_path / 'store'), report=str(tmp_path / 'report'),
                  kind='census')
    out = run_census(study, str(tmp_path / 'work'), LocalBackend(), study.report)
    assert not out['failed']
    stored = tmp_path / 'store' / 'micro' / 'seed0'
    assert (stored / CENSUS_FILE).is_file() and (stored / 'metrics_val.json').is_file()
    assert len(dc.read_census(str(stored / CENSUS_FILE))) == 2
    assert '| YOLOX (2 iters) |' in (tmp_path / 'report' / 'results.md').read_text()

    class Refuses:
        def execute(self, runs, train_only=False):
            raise AssertionError(f'nothing should run: {runs}')

    again = run_census(study, str(tmp_path / 'elsewhere'), Refuses(), study.report)
    assert again['summary'] == out['summary']
    with pytest.raises(ValueError, match='census study'):
        run_census(Study('not a census', study.rows, store=study.store), str(tmp_path),
                   Refuses(), study.report)
