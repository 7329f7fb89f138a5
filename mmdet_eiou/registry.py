"""Registries of the ``mmdet_eiou`` scope, children of mmdet's.

A config names our classes as ``type='mmdet_eiou.EIoULoss'`` while ``type='EIoULoss'``
(scope ``mmdet``) still builds mmdet's own, different ``EIoULoss``: we register nothing into
mmdet's registries and patch nothing there. mmengine imports ``mmdet_eiou.registry`` on the
first ``mmdet_eiou.X`` lookup, and ``locations`` then imports the modules that register ``X``,
so a plain ``Config`` + ``MODELS.build`` works even without ``custom_imports``.
"""
from mmdet.registry import DATASETS as MMDET_DATASETS
from mmdet.registry import HOOKS as MMDET_HOOKS
from mmdet.registry import METRICS as MMDET_METRICS
from mmdet.registry import MODELS as MMDET_MODELS
from mmdet.registry import OPTIM_WRAPPERS as MMDET_OPTIM_WRAPPERS
from mmdet.registry import TASK_UTILS as MMDET_TASK_UTILS
from mmengine.registry import Registry

SCOPE = 'mmdet_eiou'

MODELS = Registry('model', parent=MMDET_MODELS, scope=SCOPE, locations=['mmdet_eiou.models'])
TASK_UTILS = Registry(
    'task util', parent=MMDET_TASK_UTILS, scope=SCOPE, locations=['mmdet_eiou.models'])
HOOKS = Registry('hook', parent=MMDET_HOOKS, scope=SCOPE, locations=['mmdet_eiou.engine'])
METRICS = Registry(
    'metric', parent=MMDET_METRICS, scope=SCOPE, locations=['mmdet_eiou.evaluation'])
OPTIM_WRAPPERS = Registry(
    'optim_wrapper', parent=MMDET_OPTIM_WRAPPERS, scope=SCOPE, locations=['mmdet_eiou.engine'])
# the add-on ships no dataset; the lab's synthetic shapes register here when imported
DATASETS = Registry('dataset', parent=MMDET_DATASETS, scope=SCOPE)
