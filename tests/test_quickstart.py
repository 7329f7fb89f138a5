"""README's quickstart, verbatim, from a folder outside the repository: the config it shows
loads, builds mmdet's RetinaNet with our loss on decoded boxes, and a loss step on a demo
batch is finite with a gradient."""
import os.path as osp
import re
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT

STEP = textwrap.dedent('''
    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmdet.registry import MODELS
    from mmdet.structures import DetDataSample
    from mmengine.structures import InstanceData

    cfg = Config.fromfile('quickstart.py')
    init_default_scope('mmdet')
    cfg.model.backbone.init_cfg = None  # no download
    model = MODELS.build(cfg.model)
    loss_bbox = model.bbox_head.loss_bbox
    assert type(loss_bbox).__module__.startswith('mmdet_eiou'), type(loss_bbox)
    assert model.bbox_head.reg_decoded_bbox
    sample = DetDataSample(metainfo=dict(img_shape=(128, 128), pad_shape=(128, 128),
                                         batch_input_shape=(128, 128), scale_factor=(1., 1.)))
    sample.gt_instances = InstanceData(bboxes=torch.tensor([[10., 20., 70., 90.]]),
                                       labels=torch.tensor([3]))
    losses = model.loss(torch.rand(1, 3, 128, 128), [sample])
    total, log_vars = model.parse_losses(losses)  # sums each FPN level's list
    total.backward()
    assert torch.isfinite(total) and log_vars['loss_bbox'] > 0
    print(f'quickstart ok power={loss_bbox.power}', log_vars)
''')


def quickstart_block(index: int = 0) -> str:
    """The ``index``-th python block of README's quickstart section."""
    with open(osp.join(ROOT, 'README.md')) as f:
        text = f.read()
    section = text[text.index('## Quickstart'):text.index('## Compatibility')]
    return re.findall(r'```python\n(.*?)```', section, re.S)[index]


@pytest.mark.parametrize('block, power', [(0, 2.0), (1, 1.5)],
                         ids=['loss-swap-on-mmdet-base', 'read_base-of-our-config'])
def test_readme_quickstart_runs_outside_the_repository(block, power, tmp_path):
    """Each quickstart block as a project's config in a folder outside the repository: the
    loss swap on mmdet's RetinaNet, and the inheritance of our whole RetinaNet config from
    the installed package (read_base) with the power changed."""
    assert not str(tmp_path).startswith(ROOT)
    (tmp_path / 'quickstart.py').write_text(quickstart_block(block))
    (tmp_path / 'step.py').write_text(STEP)
    out = subprocess.run([sys.executable, 'step.py'], cwd=tmp_path, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    assert f'quickstart ok power={power}' in out.stdout


def test_the_packaged_configs_are_generated_from_configs(tmp_path):
    """mmdet_eiou/configs/ is what tools/export_configs.py makes of configs/eiou/ now."""
    import glob

    from eiou_lab.config_export import exported_config, module_name
    sources = sorted(glob.glob(osp.join(ROOT, 'configs', 'eiou', '*.py')))
    packaged = sorted(glob.glob(osp.join(ROOT, 'mmdet_eiou', 'configs', '*.py')))
    assert [module_name(p) for p in sources] == [
        osp.basename(p)[:-3] for p in packaged if not p.endswith('__init__.py')]
    for source in sources:
        with open(osp.join(ROOT, 'mmdet_eiou', 'configs', module_name(source) + '.py')) as f:
            assert f.read() == exported_config(source, osp.relpath(
                source, osp.join(ROOT, 'configs'))), 'run python tools/export_configs.py'
