from .cpu_autocast_optim_wrapper import CPUAutocastOptimWrapper, enable_amp

__all__ = ['CPUAutocastOptimWrapper', 'enable_amp']
