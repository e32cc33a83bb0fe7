"""The compiled world's uniforms (model/compiled/streams.py) are numpy's, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from model import CollaborationModel
from model.compiled import reference, streams, submodels
from model.model import WORLD

#: Seeds at the 32-bit word boundaries and the 63-bit limit, and random ones of one and two words.
_RNG = np.random.default_rng(20261208)
SEEDS = (
    [0, 1, 2**32 - 1, 2**32, 2**32 + 1, 2**63 - 1]
    + [int(s) for s in _RNG.integers(2, 2**32, size=3)]
    + [int(s) for s in _RNG.integers(2**32, 2**63, size=4)]
)
#: Worlds of one word and of two (the entropy then has five or six words: more than the pool's four).
WORLDS = [0, 1, WORLD, 2**32 - 1, 2**32, 2**63 - 1]


def bits(x: np.ndarray) -> np.ndarray:
    assert x.dtype == np.float64
    return x.view(np.uint64)


def assert_bits(seed: int, world: int, tick: int, size: int) -> None:
    ref = reference.world_uniforms(seed, world, tick, size)
    twin = streams.world_uniforms(seed, world, tick, size)
    assert twin.shape == ref.shape == (size,)
    np.testing.assert_array_equal(bits(twin), bits(ref), err_msg=f"seed={seed} world={world} tick={tick}")


def test_registered() -> None:
    assert submodels.world_uniforms is streams.world_uniforms


@pytest.mark.parametrize("seed", SEEDS)
def test_every_tick_of_a_run(seed: int) -> None:
    for tick in range(301):
        for size in (0, 1, 7, 119):
            assert_bits(seed, WORLD, tick, size)


@pytest.mark.parametrize("world", WORLDS)
def test_worlds_and_long_draws(world: int) -> None:
    for seed in SEEDS:
        for tick in (0, 1, 2, 52, 104, 300, 2**32 - 1, 2**32, 2**63 - 1):
            assert_bits(seed, world, tick, 1000)
    for seed in SEEDS[::4]:
        assert_bits(seed, world, int(_RNG.integers(301)), 100000)


def test_random_triples() -> None:
    rng = np.random.default_rng(7)
    for _ in range(500):
        seed, world, tick = (int(v) for v in rng.integers(0, 2 ** int(rng.integers(1, 64)), size=3))
        assert_bits(seed, world, tick, int(rng.integers(0, 300)))


def test_streams_differ() -> None:
    """Neighbouring seeds, worlds and ticks give different draws (the twin does not ignore an argument)."""
    base = streams.world_uniforms(5, WORLD, 10, 64)
    for other in ((6, WORLD, 10), (5, WORLD + 1, 10), (5, WORLD, 11), (5 + 2**32, WORLD, 10), (5, WORLD, 10 + 2**32)):
        assert not np.array_equal(streams.world_uniforms(*other, 64), base)
    assert np.all((base >= 0.0) & (base < 1.0))


def test_outside_the_kernels_range_as_numpy() -> None:
    """Arguments of 2**63 and more are numpy's (the reference's) values; negative ones numpy's error."""
    for seed, world, tick in ((2**63, WORLD, 3), (2**64 + 5, WORLD, 3), (9, 2**70, 3), (9, WORLD, 2**63)):
        np.testing.assert_array_equal(
            bits(streams.world_uniforms(seed, world, tick, 50)), bits(reference.world_uniforms(seed, world, tick, 50))
        )
    for args in ((-1, WORLD, 0, 5), (1, -1, 0, 5), (1, WORLD, -3, 5)):
        with pytest.raises(ValueError) as ref_error:
            reference.world_uniforms(*args)
        with pytest.raises(ValueError) as twin_error:
            streams.world_uniforms(*args)
        assert str(twin_error.value) == str(ref_error.value)
    with pytest.raises(ValueError):
        streams.world_uniforms(1, WORLD, 0, -1)


def test_numpy_integers() -> None:
    """numpy integers as arguments (a seed from a Generator, a size from an array) give the same bits."""
    args = (np.int64(2**40 + 3), np.uint32(WORLD), np.int64(17), np.int64(119))
    np.testing.assert_array_equal(bits(streams.world_uniforms(*args)), bits(reference.world_uniforms(*args)))


def test_model_draws_through_either_engine() -> None:
    for scenario, seed in (("jeugdaanpak", 3), ("synthetic", 2**62 + 11)):
        compiled = CollaborationModel(scenario=scenario, rng=seed)
        ref = CollaborationModel(scenario=scenario, rng=seed, engine="reference")
        for tick in (0, 1, 50, 104):
            np.testing.assert_array_equal(bits(compiled.world_uniforms(tick)), bits(ref.world_uniforms(tick)))
