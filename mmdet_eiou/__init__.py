"""mmdet-eiou: the systematic IoU-related method of Peng & Yu (TIP 2021) for MMDetection 3.x.

``import mmdet_eiou`` (or ``custom_imports=dict(imports=['mmdet_eiou'])``) registers our
classes in the ``mmdet_eiou`` registry scope; it registers nothing in mmdet's scope.
"""
from .version import __version__
from . import engine, evaluation, models, utils  # noqa: F401,E402  (register into our scope)

__all__ = ['__version__']
