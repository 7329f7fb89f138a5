"""The mmdet_eiou registry scope: ours are found by scope, mmdet's stay mmdet's."""
import textwrap

import pytest

from conftest import PYTHON, ROOT, run_tool


def run_python(code):
    """What ``code`` emits (``emit(...)``, printed to a file of its own): the stack's own
    output on stdout (OneDL's mmdet prints a line on import) is not read as the result."""
    import tempfile
    with tempfile.NamedTemporaryFile('r', suffix='.txt') as result:
        prelude = (f'_result = open({result.name!r}, "w")\n'
                   'def emit(*args):\n    print(*args, file=_result, flush=True)\n')
        run_tool([PYTHON, '-c', prelude + textwrap.dedent(code)])
        return result.read()


def test_scope_mmdet_keeps_mmdets_eiou_loss_and_ours_is_found_by_scope():
    out = run_python('''
        from mmdet.registry import MODELS
        from mmdet.utils import register_all_modules
        register_all_modules()
        theirs = MODELS.build(dict(type='EIoULoss'))
        ours = MODELS.build(dict(type='mmdet_eiou.EIoULoss'))
        emit(type(theirs).__module__, type(ours).__module__)
        # building ours imported us; mmdet's name still means mmdet's class
        emit(type(MODELS.build(dict(type='EIoULoss'))).__module__)
    ''')
    assert out.split() == ['mmdet.models.losses.iou_loss',
                           'mmdet_eiou.models.losses.eiou_loss',
                           'mmdet.models.losses.iou_loss']


def test_importing_us_registers_nothing_in_mmdets_registries():
    out = run_python('''
        import mmdet.registry as R
        from mmdet.utils import register_all_modules
        register_all_modules()
        names = ('MODELS', 'TASK_UTILS', 'HOOKS', 'METRICS', 'OPTIM_WRAPPERS')
        before = {n: dict(getattr(R, n).module_dict) for n in names}
        import mmdet_eiou
        import mmdet_eiou.registry as ours
        after = {n: dict(getattr(R, n).module_dict) for n in names}
        assert before == after, [n for n in names if before[n] != after[n]]
        for n in names:
            child = getattr(R, n)._children['mmdet_eiou']
            assert child is getattr(ours, n) and child.scope == 'mmdet_eiou'
        emit(sorted(ours.MODELS.module_dict))
    ''')
    assert 'EIoULoss' in out and 'IoUHead' in out and 'IoURetinaHead' in out


def test_unknown_name_in_our_scope_fails_naming_it_and_the_scope():
    proc = run_tool([PYTHON, '-c', textwrap.dedent('''
        from mmdet.registry import MODELS
        MODELS.build(dict(type='mmdet_eiou.EIoULos'))
    ''')], check=False)
    assert proc.returncode != 0
    assert 'mmdet_eiou.EIoULos' in proc.stderr and 'is not in the' in proc.stderr


def test_plain_config_build_outside_any_runner(tmp_path):
    """Config.fromfile + MODELS.build, with custom_imports (our configs) and without."""
    out = run_python(f'''
        from mmengine.config import Config
        from mmengine.registry import init_default_scope
        from mmdet.registry import MODELS, HOOKS, METRICS
        cfg = Config.fromfile('{ROOT}/configs/eiou/faster-rcnn_r50_fpn_eiou_1x_coco.py')
        init_default_scope(cfg.default_scope)
        cfg.model.backbone.init_cfg = None
        model = MODELS.build(cfg.model)
        emit(type(model.roi_head).__name__, type(model.roi_head.bbox_head).__name__,
              type(model.roi_head.bbox_head.loss_bbox).__module__)
        emit(type(HOOKS.build(cfg.custom_hooks[0])).__name__)
    ''')
    assert out.split() == ['IoURoIHead', 'IoUShared2FCBBoxHead', 'mmdet_eiou.models.losses.eiou_loss',
                           'SOTHook']
    # no custom_imports, no import of ours: the scope prefix alone finds and imports us
    out = run_python('''
        import sys
        from mmdet.registry import MODELS, TASK_UTILS
        assert 'mmdet_eiou' not in sys.modules
        emit(type(MODELS.build(dict(type='mmdet_eiou.EIoULoss', power=3))).__name__,
              type(TASK_UTILS.build(dict(type='mmdet_eiou.CornerDeltaBBoxCoder'))).__name__)
    ''')
    assert out.split() == ['EIoULoss', 'CornerDeltaBBoxCoder']


@pytest.mark.parametrize('loss', ['EIoULoss', 'mmdet_eiou.EIoULoss'])
def test_sot_hook_refuses_mmdets_eiou_loss(loss, tmp_path, synthetic_data):
    """A config asking for SOT on mmdet's EIoULoss must not silently train without SOT."""
    from conftest import write_micro_config
    cfg = write_micro_config(
        tmp_path / 'cfg.py', 'configs/synthetic/faster-rcnn_r18_7-eiou-ct-sot_synthetic.py',
        synthetic_data, max_iters=1,
        extra=f"model = dict(roi_head=dict(bbox_head=dict(loss_bbox=dict(_delete_=True, "
              f"type={loss!r}, loss_weight=10.0))))")
    proc = run_tool([PYTHON, 'tools/train.py', cfg, '--work-dir', str(tmp_path / 'w')],
                    check=False)
    if loss == 'EIoULoss':
        assert proc.returncode != 0
        assert "SOTHook found no mmdet_eiou.EIoULoss" in proc.stderr
    else:
        assert proc.returncode == 0, proc.stderr[-3000:]
