from .checkpoint import (UnsafeCheckpointError, allow_mmengine_checkpoints,
                         check_checkpoint_is_safe, verify_resume_checkpoint)
from .config_text import format_config_text_once
from .dist import setup_cpu_distributed, teardown_distributed
from .exit import exit_after_cpu_distributed_run, skip_exit_collections

__all__ = [
    'UnsafeCheckpointError', 'allow_mmengine_checkpoints', 'check_checkpoint_is_safe',
    'exit_after_cpu_distributed_run', 'format_config_text_once',
    'setup_cpu_distributed', 'skip_exit_collections', 'teardown_distributed',
    'verify_resume_checkpoint'
]
