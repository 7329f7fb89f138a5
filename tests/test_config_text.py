"""The config text of tools/train.py and tools/test.py (mmdet_eiou/utils/config_text.py): yapf
runs once per distinct text, and the text is the one mmengine would have written."""
import os.path as osp

from mmengine.config import Config
from mmengine.config import config as mmengine_config
from yapf.yapflib import yapf_api

from conftest import ROOT
from mmdet_eiou.utils import format_config_text_once

CONFIG = osp.join(ROOT, 'configs/synthetic/faster-rcnn_r18_1-smoothl1_synthetic.py')


def test_each_text_is_formatted_once_and_as_yapf_formats_it(monkeypatch):
    yapf = yapf_api.FormatCode
    cfg = Config.fromfile(CONFIG)
    expected = cfg.pretty_text  # formatted by mmengine's own FormatCode

    calls = []

    def counting(source, **kwargs):
        calls.append(source)
        return yapf(source, **kwargs)

    # mmengine 0.10.7 binds FormatCode at import, OneDL's mmengine looks it up at each call
    bound = hasattr(mmengine_config, 'FormatCode')
    monkeypatch.setattr(yapf_api, 'FormatCode', counting)
    if bound:
        monkeypatch.setattr(mmengine_config, 'FormatCode', counting)
    format_config_text_once()
    format_config_text_once()  # idempotent: one memo, not a memo of a memo
    assert yapf_api.FormatCode.formats_once
    assert not bound or mmengine_config.FormatCode is yapf_api.FormatCode
    for _ in range(4):  # as the log, the dump, the visualizer and a checkpoint ask for it
        assert cfg.pretty_text == expected
    assert len(calls) == 1

    cfg.train_cfg.max_iters = 7  # an edited config is another text: formatted anew
    edited = cfg.pretty_text
    assert len(calls) == 2 and 'max_iters=7' in edited and edited != expected
    assert Config.fromstring(edited, '.py').train_cfg.max_iters == 7
