"""Checks of the augment-crop-flip lab: padding and cropping at given corners and flipping
given images against float64 NumPy references, and the whole augmentation against the one
of dlpath's cifar10-resnet recipe with the same seed; non-square images, one channel and
three, uint8 and float32, batch 1, the extreme corners, labels untouched."""

import numpy as np

from dlpath.path.labs.checking import Case, check
from dlpath.recipes.cifar10_resnet import augment as dlpath_augment

FUNCTIONS = ["pad_and_crop", "horizontal_flip", "augment"]


def _images(rng, n=None, dtype=np.float32):
    n = int(rng.integers(2, 6)) if n is None else n
    height = int(rng.integers(5, 10))
    width = height + int(rng.integers(1, 4))  # never square: H and W cannot be confused
    channels = int(rng.choice([1, 3]))
    if dtype == np.uint8:
        return rng.integers(1, 256, size=(n, height, width, channels)).astype(np.uint8)
    return rng.uniform(0.1, 1.0, (n, height, width, channels)).astype(dtype)


def crop_reference(images, tops, lefts, padding, mode="constant"):
    n, height, width, _ = images.shape
    padded = np.pad(images, ((0, 0), (padding, padding), (padding, padding), (0, 0)),
                    mode=mode)
    return np.stack([padded[i, t:t + height, l:l + width]
                     for i, (t, l) in enumerate(zip(tops, lefts))])


def flip_reference(images, flips, axis=2):
    return np.stack([np.flip(image, axis=axis - 1) if f else image
                     for image, f in zip(images, flips)])


def _corners(rng, n, padding):
    tops = rng.integers(0, 2 * padding + 1, size=n)
    lefts = rng.integers(0, 2 * padding + 1, size=n)
    tops[0], lefts[0] = 0, 2 * padding  # the extreme corners always occur
    if n > 1:
        tops[1], lefts[1] = 2 * padding, 0
    return tops, lefts


def _crop(learner, images, tops, lefts, padding, what):
    n, height, width, channels = images.shape
    case = Case(learner.pad_and_crop, f"{what}: images {images.shape} {images.dtype.name}, "
                                      f"padding={padding}, tops={[int(t) for t in tops]}, "
                                      f"lefts={[int(v) for v in lefts]}")
    result = case.call(images, tops, lefts, padding)
    result = case.expect_array("cropped", result)
    padded_shape = (n, height + 2 * padding, width + 2 * padding, channels)
    if padding and result.shape == padded_shape:
        case.fail("not_cropped_back", shape=padded_shape)
    expected = crop_reference(images, tops, lefts, padding)
    mistakes = {"tops_lefts_swapped": crop_reference(images, lefts, tops, padding)}
    if padding:
        mistakes["edge_padding"] = crop_reference(images, tops, lefts, padding, "edge")
        mistakes["reflect_padding"] = crop_reference(images, tops, lefts, padding, "reflect")
    case.expect_close("cropped", result, expected, rtol=0, atol=0, mistakes=mistakes)
    case.expect_dtype("cropped", result, images.dtype)


@check("crop")
def crop(learner, rng):
    for dtype in (np.float32, np.uint8):
        images = _images(rng, dtype=dtype)
        padding = 4 if dtype == np.float32 else int(rng.integers(1, 4))
        _crop(learner, images, *_corners(rng, len(images), padding), padding,
              "random corners")


@check("crop-centre")
def crop_centre(learner, rng):
    images = _images(rng)
    n = len(images)
    _crop(learner, images, np.full(n, 4), np.full(n, 4), 4, "the centre corner (4, 4)")
    _crop(learner, images, np.zeros(n, dtype=int), np.zeros(n, dtype=int), 0, "padding=0")
    one = _images(rng, n=1)
    _crop(learner, one, *_corners(rng, 1, 4), 4, "batch 1")


@check("flip")
def flip(learner, rng):
    for dtype in (np.float32, np.uint8):
        images = _images(rng, n=int(rng.integers(4, 8)), dtype=dtype)
        flips = rng.random(len(images)) < 0.5
        flips[0], flips[1] = True, False
        case = Case(learner.horizontal_flip, f"images {images.shape} {images.dtype.name}, "
                                             f"flips={[bool(f) for f in flips]}")
        result = case.call(images, flips)
        result = case.expect_shape("flipped", result, images.shape)
        case.expect_close("flipped", result, flip_reference(images, flips), rtol=0, atol=0,
                          mistakes={"flipped_vertically": flip_reference(images, flips, 1),
                                    "flipped_channels": flip_reference(images, flips, 3),
                                    "flipped_all": flip_reference(images, np.ones_like(flips)),
                                    "flips_inverted": flip_reference(images, ~flips)})
        case.expect_dtype("flipped", result, images.dtype)


def _bound(case, generator):
    """case.call without the generator: drawing from it changes its state, as it should,
    and a Generator cannot be compared with its copy."""
    function = case.function
    return lambda images, labels, padding: function(images, labels, generator, padding)


def _variant(images, seed, padding, high=None, order=("tops", "lefts", "flips"),
             flip_test=lambda u: u < 0.5, one_corner=False):
    """The augmentation with one usual mistake switched on."""
    rng = np.random.default_rng(seed)
    n = len(images)
    high = 2 * padding + 1 if high is None else high
    drawn = {}
    for name in order:
        if name == "flips":
            drawn[name] = flip_test(rng.random(n))
        elif one_corner:
            drawn[name] = np.full(n, rng.integers(0, high))
        else:
            drawn[name] = rng.integers(0, high, size=n)
    return flip_reference(crop_reference(images, drawn["tops"], drawn["lefts"], padding),
                          drawn["flips"])


@check("augment")
def augment(learner, rng):
    for dtype, labels_shape in ((np.float32, "sparse"), (np.uint8, "one-hot")):
        images = _images(rng, n=int(rng.integers(6, 12)), dtype=dtype)
        n = len(images)
        labels = (rng.integers(0, 10, size=n) if labels_shape == "sparse"
                  else np.eye(10)[rng.integers(0, 10, size=n)])
        seed = int(rng.integers(2**31))
        case = Case(learner.augment, f"images {images.shape} {images.dtype.name}, {labels_shape} "
                                     f"labels, padding=4, rng = np.random.default_rng({seed})")
        call = Case(_bound(case, np.random.default_rng(seed)), case.description)
        call.name = case.name
        result = call.call(images, labels, 4)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            case.fail("not_a_pair", type=type(result).__name__)
        augmented, labels_out = result
        expected = dlpath_augment(images, np.random.default_rng(seed), 4)
        labels_out = case.expect_array("labels", labels_out)
        if labels_out.shape != labels.shape or not np.array_equal(labels_out, labels):
            case.fail("labels_changed")
        augmented = case.expect_array("augmented", augmented)
        if augmented.shape == (n, images.shape[1] + 8, images.shape[2] + 8, images.shape[3]):
            case.fail("not_cropped_back", shape=augmented.shape)
        case.expect_close("augmented", augmented, expected, rtol=0, atol=0, mistakes={
            "offsets_exclusive": _variant(images, seed, 4, high=8),
            "offsets_up_to_padding": _variant(images, seed, 4, high=5),
            "draw_order": _variant(images, seed, 4, order=("lefts", "tops", "flips")),
            "flips_drawn_first": _variant(images, seed, 4, order=("flips", "tops", "lefts")),
            "flip_comparison": _variant(images, seed, 4, flip_test=lambda u: u >= 0.5),
            "one_corner_per_batch": _variant(images, seed, 4, one_corner=True)})
        case.expect_dtype("augmented", augmented, dtype)


@check("augment-padding")
def augment_padding(learner, rng):
    images = _images(rng, n=int(rng.integers(4, 8)))
    padding = int(rng.integers(1, 4))
    seed = int(rng.integers(2**31))
    case = Case(learner.augment, f"images {images.shape}, padding={padding}")
    call = Case(_bound(case, np.random.default_rng(seed)), case.description)
    call.name = case.name
    result = call.call(images, np.arange(len(images)), padding)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        case.fail("not_a_pair", type=type(result).__name__)
    expected = dlpath_augment(images, np.random.default_rng(seed), padding)
    case.expect_close("augmented", result[0], expected, rtol=0, atol=0, mistakes={
        "padding_fixed": dlpath_augment(images, np.random.default_rng(seed), 4)})
