import numpy as np


def pad_and_crop(images, tops, lefts, padding=4):
    """Zero-pad every image by `padding` pixels on all four sides, then crop it back to
    H x W at the window whose top-left corner is (tops[i], lefts[i]) in the padded image.

    0 <= tops[i], lefts[i] <= 2 * padding; (padding, padding) gives the image back, other
    corners shift it by up to `padding` pixels, zeros coming in at the edges.
    images: (N, H, W, C); tops, lefts: int arrays of shape (N,). Returns (N, H, W, C) of
    images' dtype; images is left unchanged.
    """
    n, height, width, _ = images.shape
    padded = np.pad(images, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    out = np.empty_like(images)
    for i in range(n):
        out[i] = padded[i, tops[i]:tops[i] + height, lefts[i]:lefts[i] + width]
    return out


def horizontal_flip(images, flips):
    """Mirror left-right (along W, axis 2) the images i where flips[i] is True.

    images: (N, H, W, C); flips: bool array of shape (N,). Returns (N, H, W, C) of images'
    dtype; images is left unchanged.
    """
    return np.where(flips[:, None, None, None], images[:, :, ::-1], images)


def augment(images, labels, rng, padding=4):
    """The ResNet paper's CIFAR augmentation of a batch: a random crop with zero padding,
    then a random horizontal flip, with the random numbers drawn from rng in this order:

        tops  = rng.integers(0, 2 * padding + 1, size=N)
        lefts = rng.integers(0, 2 * padding + 1, size=N)
        flips = rng.random(N) < 0.5

    images: (N, H, W, C); labels: (N,) or (N, K), returned unchanged; rng: a
    numpy.random.Generator. Returns (augmented images of shape (N, H, W, C) and images'
    dtype, labels).
    """
    n = images.shape[0]
    tops = rng.integers(0, 2 * padding + 1, size=n)
    lefts = rng.integers(0, 2 * padding + 1, size=n)
    flips = rng.random(n) < 0.5
    return horizontal_flip(pad_and_crop(images, tops, lefts, padding), flips), labels
