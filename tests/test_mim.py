"""`mim train mmdet_eiou CFG` finds our packaged tools/configs and trains a micro config."""
import os
import os.path as osp

from conftest import PYTHON, RETINA_ROW1, ROOT, run_tool, write_micro_config
from conftest import logged


def test_mim_train_runs_a_micro_config(tmp_path, synthetic_data):
    cfg = write_micro_config(tmp_path / 'cfg.py', RETINA_ROW1, synthetic_data, max_iters=2)
    mim = osp.join(osp.dirname(PYTHON), 'mim')
    proc = run_tool([mim, 'train', 'mmdet_eiou', cfg, '--work-dir', str(tmp_path / 'w')])
    # mim ran our train.py: openmim from the package's .mim folder (linked by setup_env.sh in
    # an editable install), onedl-mim from the editable install's checkout
    assert (osp.join('mmdet_eiou', '.mim', 'tools', 'train.py') in proc.stdout
            or osp.join(ROOT, 'tools', 'train.py') in proc.stdout), proc.stdout[-2000:]
    assert sorted(logged(tmp_path / 'w')) == [1, 2]


def test_packaged_configs_resolve_through_the_mim_folder():
    import mmdet_eiou
    mim_root = osp.join(osp.dirname(mmdet_eiou.__file__), '.mim')
    assert osp.realpath(osp.join(mim_root, 'configs')) == osp.join(ROOT, 'configs')
    # the add-on's launch tools, and only those (no setup scripts, no lab tools)
    shipped = sorted(os.listdir(osp.join(mim_root, 'tools')))
    assert shipped == sorted(['train.py', 'test.py', 'dist_train.sh', 'dist_test.sh',
                              'slurm_train.sh', 'slurm_test.sh'])
    for name in shipped:
        assert osp.realpath(osp.join(mim_root, 'tools', name)) == osp.join(ROOT, 'tools', name)
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(mim_root, 'configs', 'eiou',
                                   'retinanet_r50_fpn_eiou_1x_coco.py'))
    assert cfg.model.bbox_head.type == 'mmdet_eiou.IoURetinaHead'
