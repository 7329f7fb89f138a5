"""EIoUStatsHook's scalars are logged as their mean over the logging window, as the losses are,
not as the value of the window's last iteration."""
import pytest
import torch
from mmengine.hooks import LoggerHook
from mmengine.runner import LogProcessor

from conftest import logged, write_micro_config
from mmdet_eiou.engine import EIoUStatsHook
from mmdet_eiou.models.losses import EIoULoss

# RetinaNet, EIoU + CT + SOT (SOTHook extends EIoUStatsHook): the SOT factor changes every
# iteration. No validation (it needs none and would cost time).
SOT_ROW = 'configs/synthetic/retinanet_r18_5-eiou-ct-sot_synthetic.py'
INTERVAL = 2
EXTRA = f"""
default_hooks['logger']['interval'] = {INTERVAL}
default_hooks['checkpoint']['interval'] = 100
train_cfg['val_interval'] = 100
log_processor = dict(custom_cfg=[dict(data_src='loss', log_name='loss_global', method_name='mean',
                                      window_size='global')])
"""


def test_logged_value_is_the_mean_over_the_logging_interval(synthetic_data, tmp_path):
    """Trained in this process, so that the message hub still holds every iteration's value;
    a config that already has a ``custom_cfg`` keeps it."""
    from mmengine.config import Config
    from mmengine.runner import Runner
    from mmdet_eiou.utils import allow_mmengine_checkpoints
    cfg = Config.fromfile(write_micro_config(tmp_path / 'cfg.py', SOT_ROW, synthetic_data,
                                             max_iters=4, extra=EXTRA))
    cfg.work_dir = str(tmp_path / 'work')
    # mmdet's runtime names its visualizer 'visualizer', a process-wide instance: a runner built
    # earlier in this process (tests/test_device.py) would keep its own folder for our scalars
    cfg.visualizer.name = f'visualizer_{tmp_path.name}'
    allow_mmengine_checkpoints()
    runner = Runner.from_cfg(cfg)
    runner.train()
    log = logged(tmp_path / 'work')
    assert sorted(log) == [2, 4] and all('loss_global' in rec for rec in log.values())
    changed = False
    for key in ('eiou_disjoint_frac', 'sot_scale'):
        values = runner.message_hub.get_scalar(f'train/{key}').data[0].tolist()
        assert len(values) == 4
        for it in (2, 4):
            window = values[it - INTERVAL:it]
            assert log[it][key] == pytest.approx(sum(window) / INTERVAL, rel=1e-6)
            changed |= window[0] != pytest.approx(window[1], rel=1e-4)
    assert changed  # else the last value would be the mean too


class FakeRunner:
    def __init__(self, custom_cfg):
        self.model = EIoULoss()
        self.hooks = [LoggerHook(interval=5)]
        self.log_processor = LogProcessor(custom_cfg=custom_cfg)


def test_an_entry_the_config_gives_for_our_key_is_kept():
    theirs = dict(data_src='sot_scale', method_name='max', window_size=7)
    runner = FakeRunner([theirs])
    EIoUStatsHook().before_train(runner)
    assert runner.log_processor.custom_cfg == [
        theirs, dict(data_src='eiou_disjoint_frac', method_name='mean', window_size=5)]
    EIoUStatsHook().before_train(runner)  # a second time adds nothing
    assert len(runner.log_processor.custom_cfg) == 2


def test_a_model_without_our_loss_changes_no_log_processor():
    runner = FakeRunner(None)
    runner.model = torch.nn.Linear(2, 2)
    EIoUStatsHook().before_train(runner)
    assert runner.log_processor.custom_cfg == []
