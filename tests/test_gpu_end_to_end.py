"""tools/gpu_end_to_end.sh's dry run on the CPU: the study the GPU run makes (the precision
track's headline rows, float32 and --amp) trains, scores and reports here, so that the
prepared GPU call cannot rot between the rare sessions with a GPU."""
import json
import os
import shutil

from mmengine.config import Config

from conftest import ROOT, run_tool

STUDY = os.path.join(ROOT, 'configs', 'studies', 'amp_on_device.py')
RE6 = 'retinanet_r18_6-eiou-ct-sot-iouhead_precision'


def test_every_row_of_the_gpu_study_is_a_config_of_ours_trained_with_amp_or_without():
    from eiou_lab.experiments.study import load_study
    study = load_study(STUDY)
    assert len(study.rows) == 8 and study.splits == ('test', ) and not study.store
    for row in study.rows:
        assert os.path.isfile(os.path.join(ROOT, row.config)), row.config
        assert row.train_args == (('--amp', ) if row.tag == 'amp' else ())
        Config.fromfile(os.path.join(ROOT, row.config))
    # every AMP row is paired with its float32 row
    amp = {r.name for r in study.rows if r.tag == 'amp'}
    assert {(name, name[:-len('_amp')]) for name in amp} <= set(study.steps)


def test_dry_run_trains_and_reports_its_rows(tmp_path, synthetic_data):
    """The script's whole path on three of the study's eight rows (the baseline, RetinaNet's
    full method in float32 and with --amp); the other rows' trainings with and without --amp
    are tested in tests/test_amp.py and tests/test_device.py."""
    data = tmp_path / 'data'  # the precision rows score on test.json: the tiny set's val
    shutil.copytree(synthetic_data, data)
    shutil.copy(data / 'val.json', data / 'test.json')
    out = tmp_path / 'out'
    proc = run_tool(['bash', 'tools/gpu_end_to_end.sh', 'run', '--device', 'cpu', '--max-iters',
                     '2', '--data-root', str(data), '--only-rows', RE6, RE6 + '_amp'],
                    env=dict(OUT=str(out), WORK_DIR=str(tmp_path / 'runs')), timeout=1500)
    result = json.loads((out / 'results.json').read_text())
    assert sorted(result['runs']) == sorted(['faster-rcnn_r18_1-smoothl1_precision', RE6,
                                             RE6 + '_amp']), proc.stdout[-3000:]
    amp = result['runs'][RE6 + '_amp']['0']
    assert amp['train_s_per_iter'] > 0 and len(amp['ap_at_iou']) == 10
    steps = {(s['row'], s['against']) for s in result['steps']}
    assert steps == {(RE6 + '_amp', RE6)}
    # --amp reached the training: the AMP row trained with our CPU autocast wrapper
    log = (tmp_path / 'runs' / (RE6 + '_amp') / 'seed0' / 'run.log').read_text()
    assert 'CPUAutocastOptimWrapper' in log and '--amp' in log
    assert os.path.isfile(out / 'results.md')
