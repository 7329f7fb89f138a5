"""``SyntheticShapesDataset``: mmdet's COCO dataset whose METAINFO names the synthetic classes.

A config then needs no class list of its own (``type='mmdet_eiou.SyntheticShapesDataset'``):
``CLASSES`` is defined once, in ``synthetic_shapes.py``, which also writes the json. Loading
is plain ``CocoDataset``, so a config may still override ``metainfo`` (other data, a subset of
classes) exactly as with mmdet's own datasets.
"""
from mmdet.datasets import CocoDataset

from mmdet_eiou.registry import DATASETS
from .synthetic_shapes import CLASSES


@DATASETS.register_module()
class SyntheticShapesDataset(CocoDataset):
    """A split written by ``make_dataset`` (``tools/make_synthetic_data.py``)."""

    METAINFO = dict(
        classes=CLASSES,
        # Visualisation colours, one per class in CLASSES order, distinct from each other.
        palette=[(220, 20, 60), (0, 130, 200), (60, 180, 75), (245, 130, 48), (145, 30, 180)])

    def __init__(self, *args, data_prefix=None, **kwargs):
        # The json's file names are relative to the data root, so no image prefix is needed;
        # CocoDataset reads data_prefix['img'], which mmengine's default (img_path) lacks.
        if data_prefix is None:
            data_prefix = dict(img='')
        super().__init__(*args, data_prefix=data_prefix, **kwargs)

    def load_data_list(self) -> list:
        """CocoDataset's, but a class the annotation file does not name is an error: other data
        without ``metainfo.classes`` (the synthetic names) would otherwise leave no image and
        fail later, in mmengine, as "need at least one array to concatenate"."""
        data_list = super().load_data_list()
        classes = self.metainfo['classes']
        if len(self.cat_ids) < len(classes):  # the ids of the categories named as a class
            raise ValueError(
                f'{self.ann_file} names {len(self.cat_ids)} of the {len(classes)} classes '
                f'{tuple(classes)}: for other data set dataset.metainfo.classes to its category '
                "names (train, val and test datasets), and the heads' num_classes to their number")
        return data_list
