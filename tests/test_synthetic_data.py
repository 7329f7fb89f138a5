"""tools/make_synthetic_data.py: determinism, COCO validity, size/aspect spread, tight boxes.

The tightness checks compare every json box with two things the box is not computed from:
the shape's polygon geometry (for objects the image border does not cut) and the non-zero
pixels of the object's anti-aliased coverage, re-rendered and checked against the written PNG.
"""
import importlib.util
import os
import os.path as osp
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from pycocotools.coco import COCO

TOOL = Path(__file__).resolve().parents[1] / 'tools' / 'make_synthetic_data.py'


def load_tool():
    spec = importlib.util.spec_from_file_location('make_synthetic_data', TOOL)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


synthetic = load_tool()

SEED = 7
NUM_TRAIN, NUM_VAL = 80, 20


def read_tree(root):
    """{relative path: bytes} of every file under root."""
    files = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = osp.join(folder, name)
            with open(path, 'rb') as f:
                files[osp.relpath(path, root)] = f.read()
    return files


@pytest.fixture(scope='module')
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp('synthetic')
    summary = synthetic.make_dataset(str(out), SEED, NUM_TRAIN, NUM_VAL)
    return out, summary


def load_coco(out, split):
    return COCO(str(out / f'{split}.json'))


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    for name, seed in (('a', 3), ('b', 3), ('c', 4)):
        synthetic.make_dataset(str(tmp_path / name), seed, num_train=6, num_val=3)
    first, again, other = (read_tree(tmp_path / name) for name in 'abc')
    assert len(first) == 6 + 3 + 2
    assert first == again
    assert first.keys() == other.keys()
    assert first['train.json'] != other['train.json']
    assert all(first[path] != other[path] for path in first if path.endswith('.png'))


def test_summary_matches_files(dataset):
    out, summary = dataset
    for split, num_images in (('train', NUM_TRAIN), ('val', NUM_VAL)):
        coco = load_coco(out, split)
        assert summary[split]['num_images'] == len(coco.imgs) == num_images
        assert summary[split]['num_objects'] == len(coco.anns)
        assert summary[split]['ann_file'] == str(out / f'{split}.json')


def test_cli_writes_and_prints_summary(tmp_path, capsys):
    synthetic.main(['--out', str(tmp_path), '--seed', '1', '--num-train', '2', '--num-val', '1',
                    '--img-size', '96'])
    line = capsys.readouterr().out.strip()
    assert line.startswith(f'synthetic shapes -> {tmp_path}: train 2 images')
    assert 'val 1 images' in line
    assert cv2.imread(str(tmp_path / 'val' / '000001.png')).shape == (96, 96, 3)


@pytest.mark.parametrize('split', ['train', 'val'])
def test_coco_annotations_are_valid(dataset, split):
    out, _ = dataset
    coco = load_coco(out, split)
    assert [cat['name'] for cat in coco.loadCats(coco.getCatIds())] == list(synthetic.CLASSES)
    assert coco.getCatIds() == list(range(1, len(synthetic.CLASSES) + 1))
    for image in coco.imgs.values():
        assert image['file_name'] == f'{split}/{image["id"]:06d}.png'
        pixels = cv2.imread(str(out / image['file_name']))
        assert pixels.shape == (image['height'], image['width'], 3)
        num_objects = len(coco.getAnnIds(imgIds=image['id']))
        assert 1 <= num_objects <= synthetic.MAX_OBJECTS
    for ann in coco.anns.values():
        image = coco.imgs[ann['image_id']]
        x, y, w, h = ann['bbox']
        assert w > 0 and h > 0
        assert x >= 0 and y >= 0 and x + w <= image['width'] and y + h <= image['height']
        assert ann['area'] == pytest.approx(w * h)
        assert ann['iscrowd'] == 0


def test_every_class_used_and_sizes_and_aspects_spread(dataset):
    out, _ = dataset
    anns = list(load_coco(out, 'train').anns.values())
    assert {ann['category_id'] for ann in anns} == set(range(1, len(synthetic.CLASSES) + 1))
    widths, heights = (np.array([ann['bbox'][i] for ann in anns]) for i in (2, 3))
    sides = np.concatenate([widths, heights])
    assert sides.min() < 16 and sides.max() > 60
    assert np.maximum(widths, heights).min() < 16  # small objects, not only thin ones
    aspects = widths / heights
    assert aspects.min() < 0.6 and aspects.max() > 1.6


def test_boxes_are_tight_to_the_objects_pixels(dataset):
    out, _ = dataset
    coco = load_coco(out, 'val')
    num_checked = num_untruncated = 0
    for index in range(8):
        image_id = index + 1
        image, objects = synthetic.render_image(SEED, synthetic.SPLIT_IDS['val'], index)
        # The re-rendered objects are those of the written image.
        assert np.array_equal(image, cv2.imread(str(out / 'val' / f'{image_id:06d}.png')))
        anns = coco.loadAnns(coco.getAnnIds(imgIds=image_id))
        assert len(anns) == len(objects)
        for ann, obj in zip(sorted(anns, key=lambda ann: ann['id']), objects):
            assert ann['category_id'] == obj.label + 1
            x, y, w, h = ann['bbox']
            # Pixels with any coverage span the box, rounded outwards to whole pixels.
            rows = np.flatnonzero(obj.coverage.any(axis=1))
            cols = np.flatnonzero(obj.coverage.any(axis=0))
            pixel_box = np.array([cols[0], rows[0], cols[-1] + 1, rows[-1] + 1])
            assert np.abs(pixel_box - [x, y, x + w, y + h]).max() < 1
            # Where the border does not cut the shape, the box is the polygon's extent.
            outline = obj.contours[0]
            if outline.min() >= 0 and outline.max() <= image.shape[0]:
                extent = np.concatenate([outline.min(axis=0), outline.max(axis=0)])
                # exact to the fine (supersampled) grid
                assert np.abs(extent - [x, y, x + w, y + h]).max() <= 1.5 / synthetic.SUPERSAMPLING
                num_untruncated += 1
            num_checked += 1
    assert num_checked >= 10 and num_untruncated >= 5


def test_occlusion_keeps_half_of_every_object_visible(dataset):
    for index in range(NUM_VAL):
        _, objects = synthetic.render_image(SEED, synthetic.SPLIT_IDS['val'], index)
        for i, obj in enumerate(objects):
            visible = obj.coverage.copy()
            for later in objects[i + 1:]:
                visible *= 1 - later.coverage
            assert visible.sum() >= (1 - synthetic.MAX_HIDDEN_FRACTION) * obj.coverage.sum() - 1e-3
