"""Compiled building blocks that give numpy's own numbers.

A compiled twin must give the reference's numbers to the last bit where it can, so that a threshold decision (a
contact chosen, an incident attributed, a partner leaving) never flips. Element-wise arithmetic in the same order
gives the same bits; reductions need numpy's own order: ``x.sum()`` and ``x.mean()`` sum pairwise
(:func:`pairwise_sum`), ``np.bincount`` and ``np.cumsum`` add in order.
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: numpy's block size for pairwise summation (``PW_BLOCKSIZE`` in its sources).
BLOCK = 128


@njit(cache=True)
def _block(x: np.ndarray, start: int, n: int) -> float:
    """numpy's sum of at most ``BLOCK`` values: in order below 8, else eight running sums combined pairwise."""
    if n < 8:
        res = 0.0
        for i in range(start, start + n):
            res += x[i]
        return res
    r0 = x[start]
    r1 = x[start + 1]
    r2 = x[start + 2]
    r3 = x[start + 3]
    r4 = x[start + 4]
    r5 = x[start + 5]
    r6 = x[start + 6]
    r7 = x[start + 7]
    i = 8
    end = n - n % 8
    while i < end:
        r0 += x[start + i]
        r1 += x[start + i + 1]
        r2 += x[start + i + 2]
        r3 += x[start + i + 3]
        r4 += x[start + i + 4]
        r5 += x[start + i + 5]
        r6 += x[start + i + 6]
        r7 += x[start + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += x[start + i]
        i += 1
    return res


@njit(cache=True)
def _pairwise(x: np.ndarray, start: int, n: int) -> float:
    """numpy's pairwise sum of ``x[start:start + n]``: halves (the first a multiple of 8) summed apart down to
    blocks of ``BLOCK``, left + right. Without recursion (a cached recursive kernel does not reload safely): a stack
    of tasks, (start, size) to expand or size -1 to add the last two results."""
    if n <= BLOCK:
        return _block(x, start, n)
    tasks = np.empty((128, 2), dtype=np.int64)
    values = np.empty(64)
    top = 0
    count = 0
    tasks[0, 0] = start
    tasks[0, 1] = n
    top = 1
    while top:
        top -= 1
        s = tasks[top, 0]
        size = tasks[top, 1]
        if size < 0:  # both halves are done: left + right
            values[count - 2] = values[count - 2] + values[count - 1]
            count -= 1
        elif size <= BLOCK:
            values[count] = _block(x, s, size)
            count += 1
        else:
            n2 = size // 2
            n2 -= n2 % 8
            tasks[top, 0] = 0
            tasks[top, 1] = -1
            tasks[top + 1, 0] = s + n2
            tasks[top + 1, 1] = size - n2
            tasks[top + 2, 0] = s
            tasks[top + 2, 1] = n2
            top += 3
    return values[0]


@njit(cache=True)
def pairwise_sum(x: np.ndarray) -> float:
    """``x.sum()`` of a contiguous 1-D float array, bit for bit (numpy's pairwise summation, added to the
    reduction's start 0.0: so a sum of -0.0 values is +0.0, as numpy's is)."""
    return 0.0 + _pairwise(x, 0, x.size)


@njit(cache=True)
def mean(x: np.ndarray) -> float:
    """``x.sum() / x.size`` (:func:`model.submodels._mean`), bit for bit."""
    return (0.0 + _pairwise(x, 0, x.size)) / x.size
