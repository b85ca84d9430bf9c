"""The pixel stillness detector on pictures as a camera gives them: a textured room and a person,
sensor noise that changes every frame, and JPEG compression (what a phone's encoder does to it)."""

from __future__ import annotations

import cv2
import numpy as np

from formcheck.pose.stillness import Stillness, StillnessConfig, person_box

W, H = 640, 360
BODY = np.array([[0.40, 0.30], [0.60, 0.30], [0.45, 0.80], [0.55, 0.80]])  # a box the landmarks span


def _room(rng: np.random.Generator) -> np.ndarray:
    """A wall with texture (a photo's low frequencies), the same in every frame."""
    base = rng.normal(120, 25, (H // 8, W // 8, 3)).astype(np.float32)
    return cv2.resize(base, (W, H), interpolation=cv2.INTER_CUBIC)


def _frame(
    room: np.ndarray,
    rng: np.random.Generator,
    arm_dx: float = 0.0,
    gain: float = 1.0,
    sigma: float = 4.0,
    body_dx: int = 0,
    body_dy: int = 0,
):
    img = room.copy()
    cv2.rectangle(img, (270 + body_dx, 110 + body_dy), (370 + body_dx, 290), (60, 70, 150), -1)  # torso, legs
    x = int(370 + arm_dx + body_dx)
    cv2.rectangle(img, (x - 10, 140), (x + 45, 155), (70, 90, 170), -1)  # a forearm reaching forward
    img = img * gain + rng.normal(0, sigma, img.shape)
    ok, jpg = cv2.imencode(".jpg", np.clip(img, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    return cv2.imdecode(jpg, cv2.IMREAD_COLOR)


def _landmarks() -> np.ndarray:
    lm = np.zeros((33, 5), np.float32)
    lm[:, :2] = BODY[np.arange(33) % 4]
    return lm


def test_the_box_grows_by_its_margin_and_is_the_whole_frame_without_a_person() -> None:
    r0, r1, c0, c1 = person_box(_landmarks(), W, H, 0.25)
    assert np.allclose((c0, c1, r0, r1), (0.275 * W, 0.725 * W, 0.175 * H, 0.925 * H), atol=1)
    assert person_box(None, W, H, 0.25) == (0, H, 0, W)
    assert person_box(np.full((33, 5), np.nan, np.float32), W, H, 0.25) == (0, H, 0, W)


def test_camera_noise_and_compression_are_still_and_set_the_floor() -> None:
    for gain, sigma in ((1.0, 4.0), (0.35, 7.0)):  # daylight; dim evening light with the gain up
        rng = np.random.default_rng(1)
        room = _room(rng)
        s = Stillness()
        s.reference(_frame(room, rng, gain=gain, sigma=sigma), _landmarks())
        moved = [s.moved(_frame(room, rng, gain=gain, sigma=sigma)) for _ in range(100)]
        assert not any(moved), (gain, sigma)
        assert 0.0 < s.floor < s.threshold <= s.config.max_diff


def test_a_forearm_moving_a_tenth_of_a_leg_length_is_motion() -> None:
    """The sampler's own pose threshold for a hand is 0.2 leg lengths (0.1 once the pixels moved);
    this figure's legs are ~180 px: a forearm moved by 20 px must wake the model, 0 px must not."""
    for seed in range(3):
        rng = np.random.default_rng(seed)
        room = _room(rng)
        s = Stillness()
        s.reference(_frame(room, rng), _landmarks())
        for _ in range(30):  # learn the noise floor
            assert not s.moved(_frame(room, rng))
        assert s.moved(_frame(room, rng, arm_dx=20.0)), seed


def test_a_slow_drift_adds_up_against_the_reference() -> None:
    """0.5 px a frame is below the noise from one frame to the next, but not for long."""
    rng = np.random.default_rng(3)
    room = _room(rng)
    s = Stillness()
    s.reference(_frame(room, rng), _landmarks())
    first = next(i for i in range(1, 200) if s.moved(_frame(room, rng, arm_dx=0.5 * i)))
    assert 2 <= first <= 30
    s.reference(_frame(room, rng, arm_dx=0.5 * first), _landmarks())  # the model looked: a new reference
    assert not s.moved(_frame(room, rng, arm_dx=0.5 * first))


def test_the_threshold_follows_the_floor_between_its_bounds() -> None:
    cfg = StillnessConfig()
    s = Stillness(cfg)
    assert s.threshold == cfg.min_diff  # nothing measured yet
    s._still.extend([10.0] * 10)  # a very noisy camera
    assert s.threshold == cfg.max_diff


def test_a_swaying_body_teaches_the_threshold_and_a_real_move_still_wakes_it() -> None:
    """A held fold sways by a pixel or two (and breathes): at the camera's threshold that wakes the
    model on most frames. Fed back as false alarms (the looks found the pose unchanged), the
    threshold rises above what woke it, within a few looks, until sway rarely wakes it; the body
    rising by 30 px still does at once."""
    rng = np.random.default_rng(4)
    room = _room(rng)

    def sway() -> np.ndarray:
        return _frame(room, rng, body_dx=int(rng.integers(-2, 3)), body_dy=int(rng.integers(-2, 3)))

    s = Stillness()
    s.reference(sway(), _landmarks())
    woke = []
    for _ in range(200):
        moved = s.moved(sway())
        woke.append(moved)
        if moved:  # the model looked: no change in the pose, a new reference
            s.judged(woke=True, changed=False)
            s.reference(sway(), _landmarks())
    assert sum(woke[:20]) >= 2  # sway wakes the model at first ...
    assert sum(woke) <= 12 and sum(woke[-100:]) <= 3  # ... a few times, and rarely once learnt
    assert s.threshold > s.config.max_diff
    assert s.moved(_frame(room, rng, body_dy=-30))  # standing up
    s.judged(woke=True, changed=True)
    assert s.learnt == 0.0
