"""tools/gpu_end_to_end.sh's dry run on the CPU: the study the GPU run makes (the precision
track's headline rows, float32 and --amp) trains, scores and reports here, so the prepared GPU
call cannot rot between the rare sessions with a GPU."""
import json
import os
import shutil

from conftest import run_tool


def test_dry_run_trains_and_reports_every_row(tmp_path, synthetic_data):
    data = tmp_path / 'data'  # the precision rows score on test.json: the tiny set's val
    shutil.copytree(synthetic_data, data)
    shutil.copy(data / 'val.json', data / 'test.json')
    out = tmp_path / 'out'
    proc = run_tool(['bash', 'tools/gpu_end_to_end.sh', 'run', '--device', 'cpu', '--max-iters',
                     '2', '--data-root', str(data)],
                    env=dict(OUT=str(out), WORK_DIR=str(tmp_path / 'runs')), timeout=1500)
    result = json.loads((out / 'results.json').read_text())
    assert len(result['runs']) == 8, proc.stdout[-3000:]
    amp = result['runs']['faster-rcnn_r18_8-eiou-ct-sot-iouhead_precision_amp']['0']
    assert amp['train_s_per_iter'] > 0 and len(amp['ap_at_iou']) == 10
    steps = {(s['row'], s['against']) for s in result['steps']}
    assert ('retinanet_r18_6-eiou-ct-sot-iouhead_precision_amp',
            'retinanet_r18_6-eiou-ct-sot-iouhead_precision') in steps
    # --amp reached the training: the AMP rows trained with our CPU autocast wrapper
    log = (tmp_path / 'runs' / 'retinanet_r18_6-eiou-ct-sot-iouhead_precision_amp' / 'seed0' /
           'run.log').read_text()
    assert 'CPUAutocastOptimWrapper' in log and '--amp' in log
    assert os.path.isfile(out / 'results.md')
