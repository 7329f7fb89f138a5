from .sot_hook import SOTHook

__all__ = ['SOTHook']
