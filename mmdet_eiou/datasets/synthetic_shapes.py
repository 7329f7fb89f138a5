"""Generate a small synthetic COCO-format detection dataset on which precise boxes are hard.

    python tools/make_synthetic_data.py --out data/synthetic --seed 0 --num-train 200 --num-val 50

writes ``OUT/train.json``, ``OUT/val.json`` (COCO detection format, category ids from 1) and the
PNG images ``OUT/train/000001.png``, ... (``file_name`` in the json is relative to ``OUT``).
``make_dataset`` does the same from Python, and ``CLASSES`` gives configs the class names.

Design (the purpose is a benchmark where AP75/AP90 separate box-regression losses):

* Classes are defined by SHAPE only: ``CLASSES``. Every shape is a set of polygons in a unit
  square (outer boundary first, then holes), tilted by at most ``MAX_TILT_DEGREES`` and then
  stretched so that its extent is exactly a sampled box. Colour and texture are drawn from one
  distribution shared by all classes and by the background clutter, so they carry no class
  information.
* Box sizes are log-uniform from a few pixels to ``MAX_SIDE_FRACTION`` of the image, aspect
  ratios log-uniform in [1/3, 3]; a box may reach slightly past the image border.
* Each object is rasterised ``SUPERSAMPLING`` times finer than the image and box-filtered down,
  which gives its anti-aliased coverage (alpha) mask. Its ground-truth box is the extent of its
  own fine mask (before any occlusion, clipped to the image), so it is exact to
  1/``SUPERSAMPLING`` px and stays tight when the image border truncates the shape.
* Objects are painted in order, later ones over earlier ones. A new object is re-sampled (a few
  times, then skipped) if it would hide more than ``MAX_HIDDEN_FRACTION`` of an earlier object's
  coverage, so no annotation is dropped and no visible object is left unannotated.
* Backgrounds: low-frequency colour gradients, clutter that is never a closed shape (straight
  lines, open arcs, soft blurred blobs), and Gaussian pixel noise over the whole image.
* Determinism: image ``i`` of split ``s`` draws all its randomness from
  ``numpy.random.default_rng([seed, s, i])``; json is written with sorted keys and fixed
  separators, PNGs with a fixed compression level. Same arguments give byte-identical files.
"""
import argparse
import json
import math
import os
import os.path as osp
from dataclasses import dataclass

import cv2
import numpy as np

CLASSES = ('frame', 'ellipse', 'triangle', 'cross', 'star')
SPLIT_IDS = {'train': 0, 'val': 1}

SUPERSAMPLING = 8
# cv2.fillPoly takes fixed-point vertices with this many fractional bits.
FIXED_POINT_BITS = 8
MIN_SIZE = 8.0  # smallest geometric-mean side of a box, px
MIN_SIDE = 5.0  # no box side below this (before clipping), so thin shapes stay visible
MAX_SIDE_FRACTION = 0.7  # largest box side, as a fraction of the image side
MAX_ASPECT_RATIO = 3.0
MAX_TILT_DEGREES = 20.0
# A box may reach this fraction of its own width/height past the image border.
MAX_OUTSIDE_FRACTION = 0.2
MAX_OBJECTS = 6
MAX_HIDDEN_FRACTION = 0.5
PLACEMENT_TRIES = 10
# An object's mean colour is re-drawn (a few times) until it differs this much (RGB distance)
# from the image under its box, so that most objects are visible at all.
MIN_CONTRAST = 90.0
COLOUR_TRIES = 10
PNG_PARAMS = [cv2.IMWRITE_PNG_COMPRESSION, 3]


@dataclass
class RenderedObject:
    """One object of an image: what the json annotation is made from, plus its geometry."""

    label: int  # index into CLASSES
    contours: list  # float (N, 2) arrays in image px, outer boundary first, then holes
    coverage: np.ndarray  # (H, W) float32 in [0, 1], the object alone, before occlusion
    box: tuple  # (x0, y0, x1, y1) in px: extent of the object's own pixels, clipped to the image


# ----------------------------------------------------------------------------- shapes


def regular_polygon(num_vertices, radius=1.0, phase=0.0):
    angles = phase + 2 * np.pi * np.arange(num_vertices) / num_vertices
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def unit_contours(class_name, rng):
    """The class's shape with random proportions, roughly in [-1, 1]^2: outer boundary, holes."""
    if class_name == 'frame':
        hole_half_size = 1.0 - rng.uniform(0.25, 0.5)
        square = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=np.float64)
        return [square, hole_half_size * square]
    if class_name == 'ellipse':
        # A circle: rotation plus stretching to the box turns it into any ellipse.
        return [regular_polygon(64)]
    if class_name == 'triangle':
        jitter = rng.uniform(-np.pi / 9, np.pi / 9, size=3)
        angles = np.pi / 2 + 2 * np.pi * np.arange(3) / 3 + jitter
        return [np.stack([np.cos(angles), np.sin(angles)], axis=1)]
    if class_name == 'cross':
        a = rng.uniform(0.2, 0.45)  # half the thickness of an arm
        return [np.array([[-a, -1], [a, -1], [a, -a], [1, -a], [1, a], [a, a],
                          [a, 1], [-a, 1], [-a, a], [-1, a], [-1, -a], [-a, -a]])]
    if class_name == 'star':
        inner_radius = rng.uniform(0.38, 0.55)
        radii = np.where(np.arange(10) % 2 == 0, 1.0, inner_radius)
        return [regular_polygon(10, phase=-np.pi / 2) * radii[:, None]]
    raise ValueError(f'unknown class {class_name!r}')


def sample_box_size(rng, img_size):
    """(width, height): log-uniform size and aspect ratio, re-drawn until both sides fit."""
    max_side = MAX_SIDE_FRACTION * img_size
    while True:
        size = math.exp(rng.uniform(math.log(MIN_SIZE), math.log(max_side)))
        aspect = math.exp(rng.uniform(-math.log(MAX_ASPECT_RATIO), math.log(MAX_ASPECT_RATIO)))
        width, height = size * math.sqrt(aspect), size / math.sqrt(aspect)
        if MIN_SIDE <= min(width, height) and max(width, height) <= max_side:
            return width, height


def sample_shape(rng, img_size):
    """A random object: (label, contours in image px). Its unclipped extent is the sampled box."""
    label = int(rng.integers(len(CLASSES)))
    contours = unit_contours(CLASSES[label], rng)
    # A tilt, not a free rotation: rotated then stretched to an arbitrary box, a shape is
    # sheared enough to pass for another class, and the benchmark is about boxes.
    angle = np.deg2rad(rng.uniform(-MAX_TILT_DEGREES, MAX_TILT_DEGREES))
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    contours = [c @ rotation.T for c in contours]

    width, height = sample_box_size(rng, img_size)
    size = np.array([width, height])
    margin = (0.5 - MAX_OUTSIDE_FRACTION) * size
    centre = rng.uniform(margin, img_size - margin)
    # Stretch the rotated shape so that its outer boundary spans exactly the sampled box.
    low, high = contours[0].min(axis=0), contours[0].max(axis=0)
    scale = size / (high - low)
    offset = centre - size / 2
    return label, [(c - low) * scale + offset for c in contours]


def rasterize(contours, img_size):
    """Anti-aliased coverage of a shape, and the box of its pixels, clipped to the image.

    Returns ((H, W) float32 coverage in [0, 1], (x0, y0, x1, y1)), or (coverage, None) if no
    pixel of the shape lies inside the image.
    """
    coverage = np.zeros((img_size, img_size), np.float32)
    low = np.clip(np.floor(contours[0].min(axis=0)), 0, img_size).astype(int)
    high = np.clip(np.ceil(contours[0].max(axis=0)), 0, img_size).astype(int)
    (x0, y0), (x1, y1) = low, high
    if x1 <= x0 or y1 <= y0:
        return coverage, None

    fine = np.zeros(((y1 - y0) * SUPERSAMPLING, (x1 - x0) * SUPERSAMPLING), np.uint8)
    for index, contour in enumerate(contours):
        # cv2 puts integer coordinates at pixel centres; our fine pixel j spans [j, j + 1).
        fine_xy = (contour - low) * SUPERSAMPLING - 0.5
        points = np.round(fine_xy * (1 << FIXED_POINT_BITS)).astype(np.int32)
        value = 1 if index == 0 else 0  # holes are cut out of the outer boundary
        cv2.fillPoly(fine, [points], value, lineType=cv2.LINE_8, shift=FIXED_POINT_BITS)

    cols, rows = np.flatnonzero(fine.any(axis=0)), np.flatnonzero(fine.any(axis=1))
    if cols.size == 0:
        return coverage, None
    coverage[y0:y1, x0:x1] = fine.reshape(y1 - y0, SUPERSAMPLING, x1 - x0, SUPERSAMPLING).mean(
        axis=(1, 3), dtype=np.float32)
    box = (x0 + cols[0] / SUPERSAMPLING, y0 + rows[0] / SUPERSAMPLING,
           x0 + (cols[-1] + 1) / SUPERSAMPLING, y0 + (rows[-1] + 1) / SUPERSAMPLING)
    return coverage, box


# ----------------------------------------------------------------------------- appearance


def random_colour(rng):
    return rng.uniform(0, 255, size=3)


def render_fill(rng, colour, img_size):
    """(H, W, 3) float32 paint for an object: flat, striped or a gradient to a second colour."""
    kind = rng.choice(['flat', 'stripes', 'gradient'], p=[0.4, 0.35, 0.25])
    fill = np.broadcast_to(colour, (img_size, img_size, 3)).astype(np.float32)
    if kind == 'flat':
        return fill
    second_colour = random_colour(rng).astype(np.float32)
    angle = rng.uniform(0, np.pi)
    ys, xs = np.mgrid[0:img_size, 0:img_size].astype(np.float32)
    along = xs * np.cos(angle) + ys * np.sin(angle)
    if kind == 'stripes':
        period = rng.uniform(3, 10)
        weight = 0.5 + 0.5 * np.sin(2 * np.pi * along / period + rng.uniform(0, 2 * np.pi))
        weight *= rng.uniform(0.3, 0.8)  # stripes stay fainter than the object's own colour
    else:
        weight = (along - along.min()) / (along.max() - along.min())
    weight = weight[..., None]
    return (1 - weight) * fill + weight * second_colour


def render_background(rng, img_size):
    """(H, W, 3) float32: low-frequency colour gradient plus clutter that is no closed shape."""
    # Mid-range, low-contrast colours: the background is busy but objects stay findable.
    gradient = cv2.resize(rng.uniform(50, 205, (3, 3, 3)), (img_size, img_size),
                          interpolation=cv2.INTER_LINEAR)
    ripple = cv2.resize(rng.normal(0, 20, (6, 6, 3)), (img_size, img_size),
                        interpolation=cv2.INTER_CUBIC)
    image = np.clip(gradient + ripple, 0, 255).astype(np.uint8)

    for _ in range(rng.integers(1, 6)):
        start, end = rng.uniform(-0.2, 1.2, size=(2, 2)) * img_size
        cv2.line(image, tuple(start.astype(int)), tuple(end.astype(int)),
                 random_colour(rng).tolist(), int(rng.integers(1, 4)), cv2.LINE_AA)
    for _ in range(rng.integers(0, 4)):
        # Open arcs (at most half an ellipse), so they never complete an ellipse or ring.
        centre = tuple(rng.uniform(0, img_size, size=2).astype(int))
        axes = tuple(rng.uniform(5, img_size / 2, size=2).astype(int))
        start_angle = rng.uniform(0, 360)
        cv2.ellipse(image, centre, axes, rng.uniform(0, 180), start_angle,
                    start_angle + rng.uniform(40, 180), random_colour(rng).tolist(),
                    int(rng.integers(1, 3)), cv2.LINE_AA)

    image = image.astype(np.float32)
    for _ in range(rng.integers(0, 4)):
        # Soft blobs: blurred well past their radius, so they have no edge to fit a box to.
        radius = rng.uniform(4, img_size / 5)
        blob = np.zeros((img_size, img_size), np.float32)
        cv2.circle(blob, tuple(rng.uniform(0, img_size, size=2).astype(int)), int(radius), 1.0,
                   -1)
        alpha = rng.uniform(0.3, 0.7) * cv2.GaussianBlur(blob, (0, 0), radius / 2)[..., None]
        image = (1 - alpha) * image + alpha * random_colour(rng).astype(np.float32)
    return image


# ----------------------------------------------------------------------------- images


def occludes_too_much(visible_coverages, full_coverages, new_coverage):
    """Whether painting new_coverage on top would hide too much of an earlier object."""
    for visible, full in zip(visible_coverages, full_coverages):
        still_visible = (visible * (1 - new_coverage)).sum()
        if still_visible < (1 - MAX_HIDDEN_FRACTION) * full.sum():
            return True
    return False


def render_image(seed, split_id, index, img_size=160):
    """Image ``index`` of split ``split_id``: ((H, W, 3) uint8 BGR image, [RenderedObject])."""
    rng = np.random.default_rng([seed, split_id, index])
    image = render_background(rng, img_size)
    objects, visible_coverages = [], []
    for _ in range(rng.integers(1, MAX_OBJECTS + 1)):
        for _ in range(PLACEMENT_TRIES):
            label, contours = sample_shape(rng, img_size)
            coverage, box = rasterize(contours, img_size)
            if box is not None and not occludes_too_much(
                    visible_coverages, [o.coverage for o in objects], coverage):
                break
        else:
            continue  # no placement found that keeps earlier objects visible enough

        x0, y0, x1, y1 = (int(v) for v in np.round(box))
        under_box = image[y0:max(y1, y0 + 1), x0:max(x1, x0 + 1)].reshape(-1, 3).mean(axis=0)
        for _ in range(COLOUR_TRIES):
            colour = random_colour(rng)
            if np.linalg.norm(colour - under_box) >= MIN_CONTRAST:
                break
        alpha = coverage[..., None]
        image = (1 - alpha) * image + alpha * render_fill(rng, colour, img_size)
        visible_coverages = [v * (1 - coverage) for v in visible_coverages] + [coverage]
        objects.append(RenderedObject(label, contours, coverage, box))

    image += rng.normal(0, rng.uniform(3, 12), size=image.shape)
    return np.clip(np.round(image), 0, 255).astype(np.uint8), objects


def write_split(out, split, seed, num_images, img_size):
    """Write the PNGs and the json of one split; returns the COCO dict that was written."""
    os.makedirs(osp.join(out, split), exist_ok=True)
    images, annotations = [], []
    for index in range(num_images):
        image_id = index + 1
        file_name = f'{split}/{image_id:06d}.png'
        image, objects = render_image(seed, SPLIT_IDS[split], index, img_size)
        if not cv2.imwrite(osp.join(out, file_name), image, PNG_PARAMS):
            raise OSError(f'could not write {osp.join(out, file_name)}')
        images.append(dict(id=image_id, file_name=file_name, width=img_size, height=img_size))
        for obj in objects:
            x0, y0, x1, y1 = (float(v) for v in obj.box)
            annotations.append(dict(
                id=len(annotations) + 1, image_id=image_id, category_id=obj.label + 1,
                bbox=[x0, y0, x1 - x0, y1 - y0],
                # Box area, as for detections: COCOeval's small/medium/large split then treats
                # ground truth and detections alike.
                area=(x1 - x0) * (y1 - y0), iscrowd=0))
    coco = dict(
        images=images, annotations=annotations,
        categories=[dict(id=i + 1, name=name, supercategory='shape')
                    for i, name in enumerate(CLASSES)])
    with open(osp.join(out, f'{split}.json'), 'w') as f:
        json.dump(coco, f, sort_keys=True, separators=(',', ':'))
        f.write('\n')
    return coco


def make_dataset(out, seed, num_train, num_val, img_size=160):
    """Generate the dataset into ``out``; returns paths and a summary of what was written.

    {'train': {'ann_file', 'img_dir', 'num_images', 'num_objects'}, 'val': {...},
     'min_side': smallest box side (px), 'max_side': largest box side (px)}
    """
    summary, sides = {}, []
    for split, num_images in (('train', num_train), ('val', num_val)):
        coco = write_split(out, split, seed, num_images, img_size)
        sides += [side for ann in coco['annotations'] for side in ann['bbox'][2:]]
        summary[split] = dict(
            ann_file=osp.join(out, f'{split}.json'), img_dir=osp.join(out, split),
            num_images=len(coco['images']), num_objects=len(coco['annotations']))
    summary['min_side'] = min(sides, default=0.0)
    summary['max_side'] = max(sides, default=0.0)
    return summary


def format_summary(summary, out):
    train, val = summary['train'], summary['val']
    return (f'synthetic shapes -> {out}: train {train["num_images"]} images / '
            f'{train["num_objects"]} objects, val {val["num_images"]} images / '
            f'{val["num_objects"]} objects, {len(CLASSES)} classes, box sides '
            f'{summary["min_side"]:.1f}-{summary["max_side"]:.1f} px')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', required=True, help='output directory')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--num-train', type=int, default=200)
    parser.add_argument('--num-val', type=int, default=50)
    parser.add_argument('--img-size', type=int, default=160, help='side of the square images')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    summary = make_dataset(args.out, args.seed, args.num_train, args.num_val, args.img_size)
    print(format_summary(summary, args.out))


if __name__ == '__main__':
    main()
