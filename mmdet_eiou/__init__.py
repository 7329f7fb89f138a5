"""mmdet-eiou: the systematic IoU-related method of Peng & Yu (TIP 2021) for MMDetection 3.x.

``import mmdet_eiou`` (or ``custom_imports=dict(imports=['mmdet_eiou'])``) registers our
classes in the ``mmdet_eiou`` registry scope; it registers nothing in mmdet's scope.
``mmdet_eiou.ops`` (the EIoU maths) needs torch alone: on a host without mmdet (a bare GPU
machine, say) the package imports and only the mmdet integration is missing.
"""
from .version import __version__
from . import ops  # noqa: F401,E402  (pure torch)

try:
    import mmdet  # noqa: F401
except ModuleNotFoundError as err:  # mmdet itself missing: the pure-torch part still works
    if err.name != 'mmdet':
        raise
else:
    import mmcv
    import mmengine

    from .version import check_stack
    check_stack({'mmengine': mmengine.__version__, 'mmcv': mmcv.__version__,
                 'mmdet': mmdet.__version__})
    from . import engine, evaluation, models, utils  # noqa: F401,E402  (register)
    from .eiou_variant import to_eiou  # noqa: F401,E402

__all__ = ['__version__', 'ops']
