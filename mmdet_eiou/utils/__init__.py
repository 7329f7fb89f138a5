from .amp import CPUAutocastOptimWrapper, enable_amp
from .checkpoint import (UnsafeCheckpointError, allow_mmengine_checkpoints,
                         check_checkpoint_is_safe, verify_resume_checkpoint)
from .dist import setup_cpu_distributed

__all__ = [
    'CPUAutocastOptimWrapper', 'UnsafeCheckpointError', 'allow_mmengine_checkpoints',
    'check_checkpoint_is_safe', 'enable_amp', 'setup_cpu_distributed', 'verify_resume_checkpoint'
]
