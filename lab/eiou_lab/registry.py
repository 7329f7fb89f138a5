"""Registries of the ``eiou_lab`` scope, children of mmdet's, for the lab's own training-time
pieces (the add-on's are ``mmdet_eiou``'s). A config names them ``type='eiou_lab.X'``;
mmengine imports this module on the first such lookup, and ``locations`` imports the modules
that register ``X``, so no ``custom_imports`` is needed."""
from mmdet.registry import HOOKS as MMDET_HOOKS
from mmengine.registry import Registry

HOOKS = Registry('hook', parent=MMDET_HOOKS, scope='eiou_lab',
                 locations=['eiou_lab.disjoint_census_hook',
                            'eiou_lab.main_process_logger_hook'])
