"""``eiou_lab.MainProcessLoggerHook``: mmengine's ``LoggerHook`` whose test-epoch JSON record
is written by the main process alone.

mmengine's ``LoggerHook.after_test_epoch`` (0.10.7, and OneDL's fork) dumps the epoch's metrics
to ``<log_dir>/<timestamp>.json`` on every rank, and every rank has the same ``log_dir`` (the
timestamp is broadcast). Two ranks truncating and writing one file can leave the longer record's
tail after the shorter one (``{...}tail``): scoring with two processes lost its metrics that way
in CI. Every rank holds the same collected metrics, so the main process's record is the whole
of it. The other ranks skip the epoch's log line too; their console shows errors only.
"""
from typing import Dict, Optional

from mmengine.dist import is_main_process
from mmengine.hooks import LoggerHook

from .registry import HOOKS


@HOOKS.register_module()
class MainProcessLoggerHook(LoggerHook):

    def after_test_epoch(self, runner, metrics: Optional[Dict[str, float]] = None) -> None:
        if is_main_process():
            super().after_test_epoch(runner, metrics)
