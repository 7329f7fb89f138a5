from .checkpoint import (UnsafeCheckpointError, allow_mmengine_checkpoints,
                         check_checkpoint_is_safe, verify_resume_checkpoint)
from .dist import (exit_after_cpu_distributed_run, setup_cpu_distributed,
                   teardown_distributed)

__all__ = [
    'UnsafeCheckpointError', 'allow_mmengine_checkpoints', 'check_checkpoint_is_safe',
    'exit_after_cpu_distributed_run',
    'setup_cpu_distributed', 'teardown_distributed', 'verify_resume_checkpoint'
]
