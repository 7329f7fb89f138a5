"""The synthetic shapes set (eiou_lab.datasets): determinism, COCO validity, size/aspect
spread, tight boxes, the 'precision' style's limits, the test split and the dataset class.

The tightness checks compare every json box with two things the box is not computed from:
the shape's polygon geometry (for objects the image border does not cut) and the non-zero
pixels of the object's anti-aliased coverage, re-rendered and checked against the written PNG.
"""
import hashlib
import math
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest
from mmdet.registry import DATASETS
from mmengine.config import Config
from pycocotools.coco import COCO

from eiou_lab.datasets import (CLASSES, SPLIT_IDS, STYLES, SUPERSAMPLING,
                                 SyntheticShapesDataset, make_dataset, render_image)

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
HARD, PRECISION = STYLES['hard'], STYLES['precision']
SEED = 7
NUM_TRAIN, NUM_VAL = 80, 20
# sha256 of train.json for make_dataset(out, seed=0, num_train=4, num_val=0), as written by the
# generator before it moved into the package: 'hard' must keep drawing the very same set.
HARD_TRAIN_JSON_SHA256 = 'cb2307d8c73d51303af5ae4088dd3d20094ba317f01a9a41383d3a9c037eed9d'


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
    summary = make_dataset(str(out), SEED, NUM_TRAIN, NUM_VAL)
    return out, summary


def load_coco(out, split):
    return COCO(str(out / f'{split}.json'))


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    for name, seed in (('a', 3), ('b', 3), ('c', 4)):
        make_dataset(str(tmp_path / name), seed, num_train=6, num_val=3)
    first, again, other = (read_tree(tmp_path / name) for name in 'abc')
    assert len(first) == 6 + 3 + 2  # and no test split unless asked for
    assert first == again
    assert first.keys() == other.keys()
    assert first['train.json'] != other['train.json']
    assert all(first[path] != other[path] for path in first if path.endswith('.png'))


def test_hard_style_draws_the_original_set(tmp_path):
    make_dataset(str(tmp_path), 0, num_train=4, num_val=0)
    digest = hashlib.sha256((tmp_path / 'train.json').read_bytes()).hexdigest()
    assert digest == HARD_TRAIN_JSON_SHA256


def test_summary_matches_files(dataset):
    out, summary = dataset
    assert 'test' not in summary
    for split, num_images in (('train', NUM_TRAIN), ('val', NUM_VAL)):
        coco = load_coco(out, split)
        assert summary[split]['num_images'] == len(coco.imgs) == num_images
        assert summary[split]['num_objects'] == len(coco.anns)
        assert summary[split]['ann_file'] == str(out / f'{split}.json')


def test_cli_writes_and_prints_summary(tmp_path):
    proc = subprocess.run(
        [sys.executable, 'tools/make_synthetic_data.py', '--out', str(tmp_path), '--seed', '1',
         '--num-train', '2', '--num-val', '1', '--num-test', '1', '--img-size', '96',
         '--style', 'precision'],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True)
    line = proc.stdout.strip().splitlines()[-1]
    assert line.startswith(f'synthetic shapes -> {tmp_path}: train 2 images')
    assert 'val 1 images' in line and 'test 1 images' in line and 'style precision' in line
    for split in ('val', 'test'):
        assert cv2.imread(str(tmp_path / split / '000001.png')).shape == (96, 96, 3)
    # The CLI wrote what the package writes for the same arguments.
    make_dataset(str(tmp_path / 'lib'), 1, 2, 1, num_test=1, img_size=96, style='precision')
    lib = read_tree(tmp_path / 'lib')
    assert all(lib[path] == (tmp_path / path).read_bytes() for path in lib)


@pytest.mark.parametrize('split', ['train', 'val'])
def test_coco_annotations_are_valid(dataset, split):
    out, _ = dataset
    coco = load_coco(out, split)
    assert [cat['name'] for cat in coco.loadCats(coco.getCatIds())] == list(CLASSES)
    assert coco.getCatIds() == list(range(1, len(CLASSES) + 1))
    for image in coco.imgs.values():
        assert image['file_name'] == f'{split}/{image["id"]:06d}.png'
        pixels = cv2.imread(str(out / image['file_name']))
        assert pixels.shape == (image['height'], image['width'], 3)
        num_objects = len(coco.getAnnIds(imgIds=image['id']))
        assert 1 <= num_objects <= HARD.max_objects
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
    assert {ann['category_id'] for ann in anns} == set(range(1, len(CLASSES) + 1))
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
        image, objects = render_image(SEED, SPLIT_IDS['val'], index)
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
                assert np.abs(extent - [x, y, x + w, y + h]).max() <= 1.5 / SUPERSAMPLING
                num_untruncated += 1
            num_checked += 1
    assert num_checked >= 10 and num_untruncated >= 5


def visible_coverages(objects):
    """Each object's coverage after the later objects are painted over it."""
    visibles = []
    for i, obj in enumerate(objects):
        visible = obj.coverage.copy()
        for later in objects[i + 1:]:
            visible *= 1 - later.coverage
        visibles.append(visible)
    return visibles


def test_occlusion_keeps_half_of_every_object_visible(dataset):
    for index in range(NUM_VAL):
        _, objects = render_image(SEED, SPLIT_IDS['val'], index)
        for obj, visible in zip(objects, visible_coverages(objects)):
            assert visible.sum() >= (1 - HARD.max_hidden_fraction) * obj.coverage.sum() - 1e-3


# ----------------------------------------------------------------------------- precision style


def test_precision_style_is_deterministic_and_its_own_stream(tmp_path):
    for name, style in (('a', 'precision'), ('b', 'precision'), ('hard', 'hard')):
        make_dataset(str(tmp_path / name), 5, num_train=3, num_val=2, style=style)
    first, again, hard = (read_tree(tmp_path / name) for name in ('a', 'b', 'hard'))
    assert first == again
    assert first.keys() == hard.keys()
    assert all(first[path] != hard[path] for path in first)


def test_precision_objects_obey_the_styles_limits():
    img_size = 160
    max_side = PRECISION.max_side_fraction * img_size
    tolerance = 1.5 / SUPERSAMPLING  # the box is the polygon's extent to the fine grid
    num_frames = 0
    sizes = []
    for index in range(16):
        image, objects = render_image(3, SPLIT_IDS['train'], index, img_size, 'precision')
        assert 1 <= len(objects) <= PRECISION.max_objects == 4
        for obj, visible in zip(objects, visible_coverages(objects)):
            x0, y0, x1, y1 = obj.box
            width, height = x1 - x0, y1 - y0
            size = math.sqrt(width * height)
            sizes.append(size)
            assert PRECISION.min_size - tolerance <= size <= PRECISION.max_size + tolerance
            assert PRECISION.min_side - tolerance <= min(width, height)
            assert max(width, height) <= max_side + tolerance
            assert max(width, height) / min(width, height) <= PRECISION.max_aspect_ratio + 0.05
            # Wholly inside the image: the box is the polygon's extent, never border-clipped.
            outline = obj.contours[0]
            assert outline.min() >= 0 and outline.max() <= img_size
            extent = np.concatenate([outline.min(axis=0), outline.max(axis=0)])
            assert np.abs(extent - obj.box).max() <= tolerance
            assert visible.sum() >= (1 - PRECISION.max_hidden_fraction) * obj.coverage.sum() - 1e-3
            if CLASSES[obj.label] == 'frame':
                # No tilt: the frame's outline is the box itself, an axis-aligned rectangle.
                num_frames += 1
                corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
                assert np.abs(np.sort(outline, axis=0) - np.sort(corners, axis=0)).max() \
                    <= tolerance
            # Flat fill: where the object alone shows, only pixel noise varies its colour.
            solid = (obj.coverage == 1) & (visible == 1)
            if solid.sum() >= 20:
                assert image[solid].std(axis=0).max() < 8
    assert num_frames >= 2
    # Sizes spread over the range, not only at one end.
    assert min(sizes) < 25 and max(sizes) > 60


def test_test_split_is_written_and_differs_from_val(tmp_path):
    summary = make_dataset(str(tmp_path), 2, num_train=1, num_val=3, num_test=3,
                           style='precision')
    assert summary['test'] == dict(ann_file=str(tmp_path / 'test.json'),
                                   img_dir=str(tmp_path / 'test'), num_images=3,
                                   num_objects=len(load_coco(tmp_path, 'test').anns))
    test = load_coco(tmp_path, 'test')
    assert [image['file_name'] for image in test.imgs.values()] == [
        f'test/{i:06d}.png' for i in (1, 2, 3)]
    for i in (1, 2, 3):
        val_png = (tmp_path / 'val' / f'{i:06d}.png').read_bytes()
        assert (tmp_path / 'test' / f'{i:06d}.png').read_bytes() != val_png
    image, _ = render_image(2, SPLIT_IDS['test'], 0, style='precision')
    assert np.array_equal(image, cv2.imread(str(tmp_path / 'test' / '000001.png')))


# ----------------------------------------------------------------------------- dataset class


@pytest.fixture(scope='module')
def small_split(tmp_path_factory):
    out = tmp_path_factory.mktemp('small')
    make_dataset(str(out), 1, num_train=3, num_val=2)
    return out


def test_dataset_loads_a_split_with_the_classes_of_metainfo(small_split):
    dataset = DATASETS.build(dict(type='mmdet_eiou.SyntheticShapesDataset',
                                  data_root=str(small_split), ann_file='train.json',
                                  pipeline=[]))
    assert isinstance(dataset, SyntheticShapesDataset)
    assert dataset.metainfo['classes'] == CLASSES
    assert len(dataset.metainfo['palette']) == len(CLASSES)
    coco = load_coco(small_split, 'train')
    assert len(dataset) == len(coco.imgs)
    for info in (dataset.get_data_info(i) for i in range(len(dataset))):
        anns = coco.loadAnns(coco.getAnnIds(imgIds=info['img_id']))
        assert [inst['bbox_label'] for inst in info['instances']] == [
            ann['category_id'] - 1 for ann in anns]
        assert osp.exists(info['img_path'])


def test_config_datasets_take_the_classes_from_metainfo(small_split):
    cfg = Config.fromfile(osp.join(ROOT, 'configs/synthetic/_base_/synthetic_data.py'))
    for loader in (cfg.train_dataloader, cfg.val_dataloader):
        dataset = DATASETS.build(dict(loader.dataset, data_root=str(small_split), pipeline=[]))
        assert dataset.metainfo['classes'] == CLASSES
    # Other data: the usual CocoDataset override of the class names still applies.
    cfg.merge_from_dict({'train_dataloader.dataset.metainfo.classes': ('frame', 'star')})
    dataset = DATASETS.build(dict(cfg.train_dataloader.dataset, data_root=str(small_split),
                                  pipeline=[]))
    assert tuple(dataset.metainfo['classes']) == ('frame', 'star')
