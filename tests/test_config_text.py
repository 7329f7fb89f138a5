"""The config text of tools/train.py and tools/test.py (mmdet_eiou/utils/config_text.py): yapf
runs once per distinct text, and the text is the one mmengine would have written."""
import os.path as osp

from mmengine.config import Config
from mmengine.config import config as mmengine_config

from conftest import ROOT
from mmdet_eiou.utils import format_config_text_once

CONFIG = osp.join(ROOT, 'configs/synthetic/faster-rcnn_r18_1-smoothl1_synthetic.py')


def test_each_text_is_formatted_once_and_as_yapf_formats_it(monkeypatch):
    yapf = mmengine_config.FormatCode
    cfg = Config.fromfile(CONFIG)
    expected = cfg.pretty_text  # formatted by mmengine's own FormatCode

    calls = []

    def counting(source, **kwargs):
        calls.append(source)
        return yapf(source, **kwargs)

    monkeypatch.setattr(mmengine_config, 'FormatCode', counting)
    format_config_text_once()
    format_config_text_once()  # idempotent: one memo, not a memo of a memo
    assert mmengine_config.FormatCode.formats_once
    for _ in range(4):  # as the log, the dump, the visualizer and a checkpoint ask for it
        assert cfg.pretty_text == expected
    assert len(calls) == 1

    cfg.train_cfg.max_iters = 7  # an edited config is another text: formatted anew
    edited = cfg.pretty_text
    assert len(calls) == 2 and 'max_iters=7' in edited and edited != expected
    assert Config.fromstring(edited, '.py').train_cfg.max_iters == 7
