"""The report's prediction plot finds images in any layout mmdet accepts: a COCO-style set
whose images sit under ``data_prefix=dict(img='images/')`` (``file_name`` relative to it) used
to crash the report after all the compute was spent."""
import json
import os.path as osp

import mmengine
import numpy as np
import pytest
import torch

from eiou_lab.experiments import plots


def coco_layout(root):
    """``root/annotations/val.json`` and its two images under ``root/images/``."""
    import matplotlib.image
    (root / 'images').mkdir(parents=True)
    (root / 'annotations').mkdir()
    images, anns = [], []
    for i in (1, 2):
        matplotlib.image.imsave(root / 'images' / f'{i:04d}.png', np.zeros((32, 32, 3)))
        images.append(dict(id=i, file_name=f'{i:04d}.png', width=32, height=32))
        anns.append(dict(id=i, image_id=i, category_id=1, bbox=[4, 4, 10, 12], area=120,
                         iscrowd=0))
    ann_file = root / 'annotations' / 'val.json'
    ann_file.write_text(json.dumps(dict(images=images, annotations=anns,
                                        categories=[dict(id=1, name='thing')])))
    return str(ann_file)


def dumped(path, root, with_path=True):
    """Predictions as mmdet's ``--out`` dumps them (``img_path`` among the metainfo)."""
    records = [dict(img_id=i, pred_instances=dict(bboxes=torch.tensor([[4., 4., 14., 16.]]),
                                                  scores=torch.tensor([0.9]),
                                                  labels=torch.tensor([0])),
                    **(dict(img_path=str(root / 'images' / f'{i:04d}.png')) if with_path
                       else {}))
               for i in (1, 2)]
    mmengine.dump(records, str(path))
    return str(path)


def test_predictions_plot_reads_the_images_where_the_dataset_loaded_them(tmp_path):
    pytest.importorskip('matplotlib')
    ann_file = coco_layout(tmp_path / 'coco')
    runs = {'a': dumped(tmp_path / 'a.pkl', tmp_path / 'coco'),
            'b': dumped(tmp_path / 'b.pkl', tmp_path / 'coco')}
    plots.predictions(runs, ann_file, str(tmp_path / 'predictions.png'), num_images=2)
    assert osp.getsize(tmp_path / 'predictions.png') > 0


def test_without_recorded_paths_a_coco_layout_fails_loudly(tmp_path):
    """The fallback (file names beside the annotation file) cannot know a data_prefix: it
    names the file it looked for rather than drawing something else."""
    pytest.importorskip('matplotlib')
    ann_file = coco_layout(tmp_path / 'coco')
    runs = {'a': dumped(tmp_path / 'a.pkl', tmp_path / 'coco', with_path=False)}
    with pytest.raises(FileNotFoundError, match='0001.png'):
        plots.predictions(runs, ann_file, str(tmp_path / 'predictions.png'), num_images=2)
