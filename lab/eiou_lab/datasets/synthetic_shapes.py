"""A synthetic COCO-format detection dataset of shapes, generated deterministically.

``make_dataset(out, seed, num_train, num_val, num_test=0, style='hard')`` (or the CLI
``python tools/make_synthetic_data.py --out data/synthetic --seed 0 --num-train 200
--num-val 50``) writes ``OUT/train.json``, ``OUT/val.json`` (``OUT/test.json`` too when
``num_test > 0``; COCO detection format, category ids from 1) and the PNG images
``OUT/train/000001.png``, ... (``file_name`` in the json is relative to ``OUT``). ``CLASSES``
names the categories; ``SyntheticShapesDataset`` carries them in its ``METAINFO``.

Two styles (``STYLES``), each a ``SyntheticStyle`` that holds every tunable of the generator:

* ``'hard'`` (the original set): small objects, clutter, textures and occlusion make precise
  boxes hard, so AP75/AP90 separate box-regression losses.
* ``'precision'`` (a localisation benchmark): recognition is easy and every box is exact and
  wholly inside the image, while sizes (12-110 px) and aspect ratios (up to 3) stay wide: few,
  untilted, flat-coloured, high-contrast objects on a plain gradient, little occlusion and
  noise, so AP at high IoU measures the box regression and little else.

Design (what both styles share; ``max_tilt_degrees`` etc. are ``SyntheticStyle`` fields):

* Classes are defined by SHAPE only: ``CLASSES``. Every shape is a set of polygons in a unit
  square (outer boundary first, then holes), tilted by at most ``max_tilt_degrees`` and then
  stretched so that its extent is exactly a sampled box. Colour and texture are drawn from one
  distribution shared by all classes and by the background clutter, so they carry no class
  information.
* Box sizes (geometric-mean side) are log-uniform from ``min_size`` px to ``max_size`` px (or
  the largest side allowed, ``max_side_fraction`` of the image), aspect ratios log-uniform in
  [1/``max_aspect_ratio``, ``max_aspect_ratio``]; a box may reach ``max_outside_fraction`` of
  its own size past the image border.
* Each object is rasterised ``SUPERSAMPLING`` times finer than the image and box-filtered down,
  which gives its anti-aliased coverage (alpha) mask. Its ground-truth box is the extent of its
  own fine mask (before any occlusion, clipped to the image), so it is exact to
  1/``SUPERSAMPLING`` px and stays tight when the image border truncates the shape.
* Objects are painted in order, later ones over earlier ones. A new object is re-sampled (a few
  times, then skipped) if it would hide more than ``max_hidden_fraction`` of an earlier
  object's coverage, so no annotation is dropped and no visible object is left unannotated.
* Backgrounds: low-frequency colour gradients, for 'hard' with a ripple and clutter that is
  never a closed shape (straight lines, open arcs, soft blurred blobs); Gaussian pixel noise
  over the whole image.
* Determinism: image ``i`` of split ``s`` draws all its randomness from
  ``numpy.random.default_rng([seed, s, i])`` ('hard'; ``[seed, s, i, stream_id]`` for the other
  styles, so that no two styles share a random stream); json is written with sorted keys and
  fixed separators, PNGs with a fixed compression level. Same arguments give byte-identical
  files, and 'hard' gives the very files of the original ``tools/make_synthetic_data.py``.
"""
import json
import math
import os
import os.path as osp
from dataclasses import dataclass
from typing import Optional, Tuple

import cv2
import numpy as np

CLASSES = ('frame', 'ellipse', 'triangle', 'cross', 'star')
SPLIT_IDS = {'train': 0, 'val': 1, 'test': 2}

SUPERSAMPLING = 8
# cv2.fillPoly takes fixed-point vertices with this many fractional bits.
FIXED_POINT_BITS = 8
PNG_PARAMS = [cv2.IMWRITE_PNG_COMPRESSION, 3]
FILL_KINDS = ('flat', 'stripes', 'gradient')
BACKGROUND_KINDS = ('rippled', 'gradient')


@dataclass(frozen=True)
class SyntheticStyle:
    """Every tunable of the generator; ``STYLES`` holds the named ones."""

    min_size: float  # smallest geometric-mean side of a box, px
    # Largest geometric-mean side, px; None: the largest side allowed (max_side_fraction).
    max_size: Optional[float]
    min_side: float  # no box side below this (before clipping), so thin shapes stay visible
    max_side_fraction: float  # largest box side, as a fraction of the image side
    max_aspect_ratio: float
    max_tilt_degrees: float  # 0: axis-aligned shapes, and no random draw for the tilt
    # A box may reach this fraction of its own width/height past the image border.
    max_outside_fraction: float
    max_objects: int
    max_hidden_fraction: float  # of an earlier object's coverage, by all later objects
    placement_tries: int
    # An object's mean colour is re-drawn (colour_tries times at most) until it differs this
    # much (RGB distance) from the image under its box, so that most objects are visible.
    min_contrast: float
    colour_tries: int
    fill_kinds: Tuple[str, ...]  # from FILL_KINDS
    fill_probs: Tuple[float, ...]
    background: str  # 'rippled': gradient plus a ripple; 'gradient': the gradient alone
    clutter: bool  # lines, open arcs and soft blobs on the background
    noise_std: Tuple[float, float]  # pixel noise std, uniform per image in this range
    # None: RNG streams [seed, split, index] (the original set's); else this is appended.
    stream_id: Optional[int]

    def __post_init__(self):
        if self.background not in BACKGROUND_KINDS:
            raise ValueError(f'background must be one of {BACKGROUND_KINDS}, not '
                             f'{self.background!r}')
        if not set(self.fill_kinds) <= set(FILL_KINDS) or len(self.fill_kinds) != len(
                self.fill_probs) or not math.isclose(sum(self.fill_probs), 1.0):
            raise ValueError(f'bad fills {self.fill_kinds} with probabilities {self.fill_probs}')


STYLES = {
    'hard': SyntheticStyle(
        min_size=8.0, max_size=None, min_side=5.0, max_side_fraction=0.7, max_aspect_ratio=3.0,
        max_tilt_degrees=20.0, max_outside_fraction=0.2, max_objects=6,
        max_hidden_fraction=0.5, placement_tries=10, min_contrast=90.0, colour_tries=10,
        fill_kinds=('flat', 'stripes', 'gradient'), fill_probs=(0.4, 0.35, 0.25),
        background='rippled', clutter=True, noise_std=(3.0, 12.0), stream_id=None),
    # Objects lie wholly inside the image (a border-clipped edge would be trivial to place)
    # with a side of at most 0.9 image: at 160 px the largest objects are thus closer to
    # square than 3:1. 20 colour tries leave almost no object below the contrast.
    'precision': SyntheticStyle(
        min_size=12.0, max_size=110.0, min_side=5.0, max_side_fraction=0.9,
        max_aspect_ratio=3.0, max_tilt_degrees=0.0, max_outside_fraction=0.0, max_objects=4,
        max_hidden_fraction=0.2, placement_tries=10, min_contrast=120.0, colour_tries=20,
        fill_kinds=('flat', ), fill_probs=(1.0, ), background='gradient', clutter=False,
        noise_std=(2.0, 5.0), stream_id=1),
}


def get_style(style):
    """A ``SyntheticStyle`` from itself or from its name in ``STYLES``."""
    if isinstance(style, SyntheticStyle):
        return style
    if style not in STYLES:
        raise KeyError(f'unknown synthetic style {style!r}; known: {sorted(STYLES)}')
    return STYLES[style]


@dataclass
class RenderedObject:
    """One object of an image: what the json annotation is made from, plus its geometry."""

    label: int  # index into CLASSES
    contours: list  # float (N, 2) arrays in image px, outer boundary first, then holes
    coverage: np.ndarray  # (H, W) float32 in [0, 1], the object alone, before occlusion
    box: tuple  # (x0, y0, x1, y1) in px: extent of the object's own pixels, clipped to the image


# ----------------------------------------------------------------------------- shapes


def regular_polygon(num_vertices, radius=1.0, phase=0.0):
    """(num_vertices, 2) vertices of a regular polygon centred on the origin."""
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


def sample_box_size(rng, img_size, style):
    """(width, height): log-uniform size and aspect ratio, re-drawn until both sides fit."""
    max_side = style.max_side_fraction * img_size
    # A geometric-mean side above max_side always fails the test below: not drawing it is the
    # same distribution with fewer draws (and 'hard', max_size None, draws as it always did).
    max_size = max_side if style.max_size is None else min(style.max_size, max_side)
    if max(style.min_size, style.min_side) > max_size:
        raise ValueError(f'no box of size >= {style.min_size} px fits a {img_size} px image')
    while True:
        size = math.exp(rng.uniform(math.log(style.min_size), math.log(max_size)))
        aspect = math.exp(rng.uniform(-math.log(style.max_aspect_ratio),
                                      math.log(style.max_aspect_ratio)))
        width, height = size * math.sqrt(aspect), size / math.sqrt(aspect)
        if style.min_side <= min(width, height) and max(width, height) <= max_side:
            return width, height


def sample_shape(rng, img_size, style):
    """A random object: (label, contours in image px). Its unclipped extent is the sampled box."""
    label = int(rng.integers(len(CLASSES)))
    contours = unit_contours(CLASSES[label], rng)
    if style.max_tilt_degrees > 0:
        # A tilt, not a free rotation: rotated then stretched to an arbitrary box, a shape is
        # sheared enough to pass for another class, and the benchmark is about boxes.
        angle = np.deg2rad(rng.uniform(-style.max_tilt_degrees, style.max_tilt_degrees))
        rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        contours = [c @ rotation.T for c in contours]

    width, height = sample_box_size(rng, img_size, style)
    size = np.array([width, height])
    margin = (0.5 - style.max_outside_fraction) * size
    centre = rng.uniform(margin, img_size - margin)
    # Stretch the (tilted) shape so that its outer boundary spans exactly the sampled box.
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
    """A uniformly random RGB colour, float64 (3,) in [0, 255]."""
    return rng.uniform(0, 255, size=3)


def render_fill(rng, colour, img_size, style):
    """(H, W, 3) float32 paint for an object: flat, striped or a gradient to a second colour."""
    kind = rng.choice(style.fill_kinds, p=style.fill_probs)
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


def draw_strokes(rng, image):
    """Straight lines and open arcs, drawn into the (H, W, 3) uint8 image in place."""
    img_size = image.shape[0]
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


def blend_blobs(rng, image):
    """The (H, W, 3) float32 image with soft colour blobs blended in."""
    img_size = image.shape[0]
    for _ in range(rng.integers(0, 4)):
        # Soft blobs: blurred well past their radius, so they have no edge to fit a box to.
        radius = rng.uniform(4, img_size / 5)
        blob = np.zeros((img_size, img_size), np.float32)
        cv2.circle(blob, tuple(rng.uniform(0, img_size, size=2).astype(int)), int(radius), 1.0,
                   -1)
        alpha = rng.uniform(0.3, 0.7) * cv2.GaussianBlur(blob, (0, 0), radius / 2)[..., None]
        image = (1 - alpha) * image + alpha * random_colour(rng).astype(np.float32)
    return image


def render_background(rng, img_size, style):
    """(H, W, 3) float32: low-frequency colour gradient, with the style's ripple and clutter."""
    # Mid-range colours: the background may be busy but objects stay findable.
    image = cv2.resize(rng.uniform(50, 205, (3, 3, 3)), (img_size, img_size),
                       interpolation=cv2.INTER_LINEAR)
    if style.background == 'rippled':
        image = image + cv2.resize(rng.normal(0, 20, (6, 6, 3)), (img_size, img_size),
                                   interpolation=cv2.INTER_CUBIC)
    image = np.clip(image, 0, 255).astype(np.uint8)
    if style.clutter:
        draw_strokes(rng, image)
    image = image.astype(np.float32)
    if style.clutter:
        image = blend_blobs(rng, image)
    return image


# ----------------------------------------------------------------------------- images


def occludes_too_much(visible_coverages, full_coverages, new_coverage, style):
    """Whether painting new_coverage on top would hide too much of an earlier object."""
    for visible, full in zip(visible_coverages, full_coverages):
        still_visible = (visible * (1 - new_coverage)).sum()
        if still_visible < (1 - style.max_hidden_fraction) * full.sum():
            return True
    return False


def image_rng(seed, split_id, index, style):
    """The generator that image ``index`` of split ``split_id`` draws all its randomness from."""
    entropy = [seed, split_id, index]
    if style.stream_id is not None:
        entropy.append(style.stream_id)
    return np.random.default_rng(entropy)


def render_image(seed, split_id, index, img_size=160, style='hard'):
    """Image ``index`` of split ``split_id``: ((H, W, 3) uint8 BGR image, [RenderedObject])."""
    style = get_style(style)
    rng = image_rng(seed, split_id, index, style)
    image = render_background(rng, img_size, style)
    objects, visible_coverages = [], []
    for _ in range(rng.integers(1, style.max_objects + 1)):
        for _ in range(style.placement_tries):
            label, contours = sample_shape(rng, img_size, style)
            coverage, box = rasterize(contours, img_size)
            if box is not None and not occludes_too_much(
                    visible_coverages, [o.coverage for o in objects], coverage, style):
                break
        else:
            continue  # no placement found that keeps earlier objects visible enough

        x0, y0, x1, y1 = (int(v) for v in np.round(box))
        under_box = image[y0:max(y1, y0 + 1), x0:max(x1, x0 + 1)].reshape(-1, 3).mean(axis=0)
        for _ in range(style.colour_tries):
            colour = random_colour(rng)
            if np.linalg.norm(colour - under_box) >= style.min_contrast:
                break
        alpha = coverage[..., None]
        image = (1 - alpha) * image + alpha * render_fill(rng, colour, img_size, style)
        visible_coverages = [v * (1 - coverage) for v in visible_coverages] + [coverage]
        objects.append(RenderedObject(label, contours, coverage, box))

    image += rng.normal(0, rng.uniform(*style.noise_std), size=image.shape)
    return np.clip(np.round(image), 0, 255).astype(np.uint8), objects


def write_split(out, split, seed, num_images, img_size=160, style='hard'):
    """Write the PNGs and the json of one split; returns the COCO dict that was written."""
    style = get_style(style)
    os.makedirs(osp.join(out, split), exist_ok=True)
    images, annotations = [], []
    for index in range(num_images):
        image_id = index + 1
        file_name = f'{split}/{image_id:06d}.png'
        image, objects = render_image(seed, SPLIT_IDS[split], index, img_size, style)
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


def make_dataset(out, seed, num_train, num_val, num_test=0, img_size=160, style='hard'):
    """Generate the dataset into ``out``; returns paths and a summary of what was written.

    {'train': {'ann_file', 'img_dir', 'num_images', 'num_objects'}, 'val': {...},
     'test': {...} (only when num_test > 0), 'min_side': smallest box side (px),
     'max_side': largest box side (px)}
    """
    style = get_style(style)
    splits = [('train', num_train), ('val', num_val)] + ([('test', num_test)] if num_test > 0
                                                         else [])
    summary, sides = {}, []
    for split, num_images in splits:
        coco = write_split(out, split, seed, num_images, img_size, style)
        sides += [side for ann in coco['annotations'] for side in ann['bbox'][2:]]
        summary[split] = dict(
            ann_file=osp.join(out, f'{split}.json'), img_dir=osp.join(out, split),
            num_images=len(coco['images']), num_objects=len(coco['annotations']))
    summary['min_side'] = min(sides, default=0.0)
    summary['max_side'] = max(sides, default=0.0)
    return summary


def format_summary(summary, out, style_name=None):
    """One line on what ``make_dataset`` wrote into ``out``."""
    splits = ', '.join(f'{split} {summary[split]["num_images"]} images / '
                       f'{summary[split]["num_objects"]} objects'
                       for split in SPLIT_IDS if split in summary)
    style = '' if style_name is None else f', style {style_name}'
    return (f'synthetic shapes -> {out}: {splits}, {len(CLASSES)} classes, box sides '
            f'{summary["min_side"]:.1f}-{summary["max_side"]:.1f} px{style}')
