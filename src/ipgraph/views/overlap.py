"""Overlapping discs pushed apart (`separate`): the last step of a force layout
(`ipgraph.views.layout`), with numpy, which the layout imports only when it needs this.

The close pairs are found on a grid of cells (`close_pairs`), so that a view of ten
thousand nodes is separated in a fraction of a second; the few largest discs (a hub drawn
ten times as large as its neighbours) are compared with every node (`candidates`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["BIG", "candidates", "close_pairs", "separate"]


def separate(
    spots: Sequence[tuple[float, float]], radii: Sequence[float], gap: float, rounds: int = 30
) -> list[tuple[float, float]]:
    """``spots`` moved so that no two discs (``radii``) come closer than ``gap``, pushing
    the overlapping pairs apart a few rounds at most.

    >>> separate([(0.0, 0.0), (1.0, 0.0)], [10.0, 10.0], 4.0)
    [(-11.5, 0.0), (12.5, 0.0)]
    """
    points = np.array(spots, dtype=float).reshape(-1, 2)
    sizes = np.array(radii, dtype=float)
    if len(points) < 2:
        return [(float(x), float(y)) for x, y in points.tolist()]
    # The largest discs are compared with every node; the others only with the nodes a
    # grid of cells as wide as two of the largest of them (plus the gap) puts near: one hub
    # drawn ten times as large as its neighbours would make every cell hold most of a view.
    big = np.argsort(-sizes, kind="stable")[:BIG]
    small = np.delete(sizes, big)
    reach = 2 * float(small.max() if len(small) else 0.0) + gap
    for _ in range(rounds):
        pairs = candidates(points, sizes, big, reach, gap)
        if len(pairs) == 0:
            break
        first, second = pairs[:, 0], pairs[:, 1]
        delta = points[second] - points[first]
        distance = np.hypot(delta[:, 0], delta[:, 1])
        wanted = sizes[first] + sizes[second] + gap
        close = distance < wanted
        if not close.any():
            break
        first, second, delta = first[close], second[close], delta[close]
        distance, wanted = distance[close], wanted[close]
        # Two nodes on the same spot move apart along a direction fixed by their indices.
        angle = (first * 7 + second * 13).astype(float)
        same = distance < 1e-6
        delta[same] = np.column_stack([np.cos(angle[same]), np.sin(angle[same])])
        distance[same] = 1.0
        push = (delta / distance[:, None]) * ((wanted - distance) / 2)[:, None]
        np.add.at(points, first, -push)
        np.add.at(points, second, push)
    return [(float(x), float(y)) for x, y in points.tolist()]


BIG = 16
"""The largest discs, whose overlaps are looked for among all nodes."""


def candidates(
    points: np.ndarray, sizes: np.ndarray, big: np.ndarray, reach: float, gap: float
) -> np.ndarray:
    """Pairs ``[i, j]`` (``i < j``, sorted) among which are all overlapping discs: the pairs
    at most ``reach`` apart, and those of a ``big`` node closer than their sizes and ``gap``."""
    found = [close_pairs(points, reach)]
    delta = points[None, :, :] - points[big][:, None, :]
    distance = np.hypot(delta[..., 0], delta[..., 1])
    near = distance < sizes[big][:, None] + sizes[None, :] + gap
    rows, others = np.nonzero(near)
    first, second = big[rows], others
    keep = first != second
    first, second = first[keep], second[keep]
    found.append(np.column_stack([np.minimum(first, second), np.maximum(first, second)]))
    pairs = np.concatenate(found).astype(np.int64)
    if len(pairs) == 0:
        return pairs.reshape(0, 2)
    keys = np.unique(pairs[:, 0] * len(points) + pairs[:, 1])  # once each, in order
    return np.column_stack([keys // len(points), keys % len(points)])


# A cell and the four cells after it (right, and the three above): every pair of cells that
# touch is looked at once.
_AFTER = ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1))


def close_pairs(points: np.ndarray, reach: float) -> np.ndarray:
    """The pairs ``[i, j]`` (``i < j``, sorted) of points at most ``reach`` apart.

    A grid of ``reach``-wide cells: two such points lie in the same cell or in touching ones,
    so only those are compared. numpy alone (scipy's k-d tree cost a second and 25 MB to load
    for this one call).

    >>> points = np.array([[0.0, 0.0], [5.0, 0.0], [100.0, 0.0], [104.0, 3.0]])
    >>> close_pairs(points, 10.0).tolist()
    [[0, 1], [2, 3]]
    """
    cells = np.floor(points / reach).astype(np.int64)
    cells -= cells.min(axis=0)
    # One number per cell; a row as tall as two more cells than used, so that no step to a
    # touching cell wraps into another column's cells.
    height = int(cells[:, 1].max()) + 3
    keys = cells[:, 0] * height + cells[:, 1]
    order = np.argsort(keys, kind="stable")
    ranked = keys[order]
    firsts, seconds = [], []
    for dx, dy in _AFTER:
        target = ranked + dx * height + dy
        if dx == 0 and dy == 0:
            start = np.arange(1, len(ranked) + 1)  # the same cell: only the points after
        else:
            start = np.searchsorted(ranked, target, side="left")
        end = np.searchsorted(ranked, target, side="right")
        counts = np.maximum(end - start, 0)
        total = int(counts.sum())
        if total == 0:
            continue
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        firsts.append(np.repeat(order, counts))
        seconds.append(order[np.repeat(start, counts) + offsets])
    if not firsts:
        return np.empty((0, 2), dtype=np.int64)
    first, second = np.concatenate(firsts), np.concatenate(seconds)
    delta = points[second] - points[first]
    near = np.hypot(delta[:, 0], delta[:, 1]) <= reach
    low, high = np.minimum(first, second)[near], np.maximum(first, second)[near]
    pairs = np.column_stack([low, high])
    return pairs[np.lexsort((high, low))]
