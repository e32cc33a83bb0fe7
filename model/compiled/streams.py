"""The world's uniforms, compiled: numpy's ``SeedSequence``, ``PCG64`` and ``Generator.random`` to the last bit.

:func:`world_uniforms` gives what ``Generator(PCG64(SeedSequence([seed, world, tick]))).random(size)`` gives, without
numpy's per-call cost of building a seed sequence, a bit generator and a generator (most of it Python-level work).
One kernel does it all:

- the entropy: each of ``seed``, ``world`` and ``tick`` as its 32-bit words, least significant first (one word for
  zero), one after the other;
- the seed sequence's pool of four 32-bit words: each entropy word hashed into its slot (zero for a missing one), the
  slots mixed with each other, then any further entropy words mixed into every slot;
- the generator's state: eight 32-bit words drawn from the pool with a second hash, read as four 64-bit words
  (low word first); the 128-bit state starts from the first two, the 128-bit increment from the last two;
- the bit generator: a 128-bit linear congruential step, then the XSL-RR output (the two halves xor-ed, rotated
  right by the top six bits); a uniform is the top 53 bits of an output times 2**-53.

The 128-bit numbers are pairs of 64-bit words (high, low), joined into LLVM's 128-bit integers for the generator's
step (:func:`_step`). All other integer arithmetic stays in ``np.uint64`` (numba would turn a mix of signed and
unsigned 64-bit integers into floats); 32-bit words are kept in ``np.uint64`` and masked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
from llvmlite import ir  # type: ignore[import-untyped]  # numba's code generator, no type hints
from numba import njit, types
from numba.extending import intrinsic

from model.compiled import reference

#: 32 bits of ones, and the shifts used below (as ``np.uint64``: numba keeps unsigned arithmetic unsigned).
_M32 = np.uint64(0xFFFFFFFF)
_S11 = np.uint64(11)
_S16 = np.uint64(16)
_S32 = np.uint64(32)
_S58 = np.uint64(58)
_S63 = np.uint64(63)
_ONE = np.uint64(1)
_ZERO = np.uint64(0)

#: The seed sequence's hash constants (its pool of four words; the entropy hash; the state hash; the mix).
_POOL = 4
_INIT_A = np.uint64(0x43B0D7E5)
_MULT_A = np.uint64(0x931E8875)
_INIT_B = np.uint64(0x8B51F9DD)
_MULT_B = np.uint64(0x58F38DED)
_MIX_L = np.uint64(0xCA01F9DD)
_MIX_R = np.uint64(0x4973F715)

#: The 128-bit multiplier of PCG64's linear congruential step.
_MULTIPLIER = (2549297995355413924 << 64) | 4865540595714422341

#: The weight of the last of a uniform's 53 bits.
_UNIT = 1.0 / 9007199254740992.0

#: The largest seed, world or tick the kernel takes (a non-negative int64); others go to the reference.
_LIMIT = 2**63


def _step_ir(
    typingctx: Any, s_hi: Any, s_lo: Any, i_hi: Any, i_lo: Any
) -> tuple[Any, Callable[[Any, Any, Any, Any], Any]]:
    """One step of the 128-bit generator, state * multiplier + increment (mod 2**128), on (high, low) pairs of
    ``uint64``: (new high, new low). In LLVM's 128-bit integers (one machine multiply-high where the machine has it;
    four 32-bit products would cost half as much again per draw)."""
    sig = types.UniTuple(types.uint64, 2)(types.uint64, types.uint64, types.uint64, types.uint64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        wide = ir.IntType(128)
        word = ir.IntType(64)
        half = ir.Constant(wide, 64)

        def joined(high: Any, low: Any) -> Any:
            return builder.or_(builder.shl(builder.zext(high, wide), half), builder.zext(low, wide))

        state = builder.add(builder.mul(joined(args[0], args[1]), ir.Constant(wide, _MULTIPLIER)), joined(*args[2:]))
        high = builder.trunc(builder.lshr(state, half), word)
        return context.make_tuple(builder, signature.return_type, [high, builder.trunc(state, word)])

    return sig, codegen


#: :func:`_step_ir` as numba calls it in a kernel: ``_step(s_hi, s_lo, i_hi, i_lo) -> (high, low)``.
_step = cast(Callable[[Any, Any, Any, Any], tuple[Any, Any]], intrinsic(_step_ir))


@njit(cache=True)
def _words(value: np.uint64, out: np.ndarray, n: int) -> int:
    """Append ``value``'s 32-bit words (least significant first; one word for zero) to ``out[n:]``; the new count."""
    out[n] = value & _M32
    n += 1
    value = value >> _S32
    while value > _ZERO:
        out[n] = value & _M32
        n += 1
        value = value >> _S32
    return n


@njit(cache=True)
def _hashmix(value: np.uint64, const: np.uint64) -> tuple[np.uint64, np.uint64]:
    """The seed sequence's entropy hash of a 32-bit word; returns (hash, the next hash constant)."""
    value = value ^ const
    const = (const * _MULT_A) & _M32
    value = (value * const) & _M32
    value = value ^ (value >> _S16)
    return value, const


@njit(cache=True)
def _mix(x: np.uint64, y: np.uint64) -> np.uint64:
    """The seed sequence's mix of two 32-bit words."""
    result = ((_MIX_L * x) - (_MIX_R * y)) & _M32
    return result ^ (result >> _S16)


@njit(cache=True)
def _uniforms(seed: int, world: int, tick: int, size: int) -> np.ndarray:
    """``size`` uniforms of ``Generator(PCG64(SeedSequence([seed, world, tick]))).random(size)`` (the three
    non-negative int64)."""
    entropy = np.zeros(6, dtype=np.uint64)
    n = _words(np.uint64(seed), entropy, 0)
    n = _words(np.uint64(world), entropy, n)
    n = _words(np.uint64(tick), entropy, n)
    # the pool: each slot hashes its entropy word (or zero), then the slots mix with each other, then the rest
    pool = np.zeros(_POOL, dtype=np.uint64)
    const = _INIT_A
    for i in range(_POOL):
        word = entropy[i] if i < n else _ZERO
        hashed, const = _hashmix(word, const)
        pool[i] = hashed
    for src in range(_POOL):
        for dst in range(_POOL):
            if src != dst:
                hashed, const = _hashmix(pool[src], const)
                pool[dst] = _mix(pool[dst], hashed)
    for src in range(_POOL, n):
        for dst in range(_POOL):
            hashed, const = _hashmix(entropy[src], const)
            pool[dst] = _mix(pool[dst], hashed)
    # the state: eight 32-bit words from the pool (cycled), paired low word first into four 64-bit words
    state = np.zeros(4, dtype=np.uint64)
    hconst = _INIT_B
    for k in range(8):
        value = pool[k % _POOL] ^ hconst
        hconst = (hconst * _MULT_B) & _M32
        value = (value * hconst) & _M32
        value = value ^ (value >> _S16)
        if k % 2 == 0:
            state[k // 2] = value
        else:
            state[k // 2] = state[k // 2] | (value << _S32)
    # PCG64's seeding: increment = (state[2:] << 1) | 1; start at 0, step, add state[:2], step
    i_hi = (state[2] << _ONE) | (state[3] >> _S63)
    i_lo = (state[3] << _ONE) | _ONE
    s_hi, s_lo = _step(_ZERO, _ZERO, i_hi, i_lo)
    low = s_lo + state[1]
    carry = _ONE if low < s_lo else _ZERO
    s_hi, s_lo = _step(s_hi + state[0] + carry, low, i_hi, i_lo)
    # the draws: step, then the XSL-RR output of the new state; a uniform from its top 53 bits
    out = np.empty(size, dtype=np.float64)
    for k in range(size):
        s_hi, s_lo = _step(s_hi, s_lo, i_hi, i_lo)
        x = s_hi ^ s_lo
        rot = s_hi >> _S58
        if rot != _ZERO:
            x = (x >> rot) | (x << (np.uint64(64) - rot))
        out[k] = np.float64(x >> _S11) * _UNIT
    return out


def world_uniforms(seed: int, world: int, tick: int, size: int) -> np.ndarray:
    """The world's ``size`` uniforms of a tick, from ``SeedSequence([seed, world, tick])`` (ODD 5); the reference's
    bits. Values outside [0, 2**63) (which numpy takes or refuses) go to the reference."""
    if 0 <= seed < _LIMIT and 0 <= world < _LIMIT and 0 <= tick < _LIMIT and size >= 0:
        return _uniforms(seed, world, tick, size)
    return reference.world_uniforms(seed, world, tick, size)
