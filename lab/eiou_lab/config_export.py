"""Our configs as pure-Python config modules that a user's project inherits with mmengine's
``read_base()`` (mmengine resolves ``_base_ = 'pkg::...'`` only for the OpenMMLab packages it
lists, so an add-on's old-style configs cannot be inherited from outside the tree).

Each module is one of our configs resolved against its mmdet base (``Config.fromfile``), as
plain dicts: the installed add-on carries it, and it changes only when regenerated
(``tools/export_configs.py``; a test keeps the package's copies in step with ``configs/``).
"""
import os.path as osp

HEADER = ('# Generated from configs/{source} by tools/export_configs.py: do not edit.\n'
          '# Inherit it in your project (pure-Python config):\n'
          '#     from mmengine.config import read_base\n'
          '#     with read_base():\n'
          '#         from mmdet_eiou.configs.{module} import *\n')


def module_name(config_path: str) -> str:
    """``retinanet_r50_fpn_eiou_1x_coco`` for ``.../retinanet_r50_fpn_eiou_1x_coco.py``
    (``-`` becomes ``_``: a module name)."""
    return osp.splitext(osp.basename(config_path))[0].replace('-', '_')


def exported_config(config_path: str, source: str) -> str:
    """The text of the module for the config at ``config_path`` (``source``: how the header
    names it)."""
    from mmengine.config import Config
    cfg = Config.fromfile(config_path)
    return HEADER.format(source=source, module=module_name(config_path)) + cfg.pretty_text
