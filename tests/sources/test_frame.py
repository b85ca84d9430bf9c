"""One frame type: its pixels are converted for the model once, whichever thread asks first."""

from __future__ import annotations

import numpy as np

from formcheck.sources.frame import Frame


def test_the_model_image_is_made_once_from_the_frames_own_pixels() -> None:
    bgr = np.random.default_rng(1).integers(0, 256, (48, 64, 3), np.uint8)
    frame = Frame(0, 0.0, bgr)
    image = frame.model_image()
    assert frame.model_image() is image  # made once: the sampler's main thread, or the model's
    assert np.array_equal(image.numpy_view(), bgr[:, :, ::-1])  # RGB, as the model takes it
    assert np.array_equal(frame.rgb_array(), bgr[:, :, ::-1])
