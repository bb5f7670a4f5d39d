"""Overlapping discs pushed apart (`ipgraph.views.overlap`): the grid search finds exactly
the close pairs, every overlap beside a hub drawn large, and `separate` leaves no overlap."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from ipgraph.views.overlap import BIG, candidates, close_pairs, separate

GAP = 34.0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_overlap_search_finds_exactly_the_close_pairs(seed: int) -> None:
    # The grid search that keeps discs apart, against comparing every pair: clusters,
    # nodes on the same spot, points on cell borders and far outliers.
    rng = np.random.default_rng(seed)
    points = np.concatenate(
        [
            rng.normal(size=(300, 2)) * 200,
            rng.normal(size=(100, 2)) * 5,
            np.zeros((5, 2)),
            np.array([[54.0, 0.0], [108.0, 54.0], [-54.0, -54.0], [1e5, -1e5]]),
        ]
    )
    reach = 54.0
    brute = sorted(
        [i, j]
        for i, j in itertools.combinations(range(len(points)), 2)
        if math.dist(points[i], points[j]) <= reach
    )
    assert close_pairs(points, reach).tolist() == brute


def test_overlap_search_finds_every_overlap_beside_a_hub_drawn_large() -> None:
    rng = np.random.default_rng(4)
    points = rng.normal(size=(600, 2)) * 400
    sizes = 10 + 5 * np.sqrt(rng.integers(1, 6, size=600))
    sizes[[3, 70, 500]] = [122.0, 80.0, 60.0]  # hubs: their discs reach far
    big = np.argsort(-sizes, kind="stable")[:BIG]
    reach = 2 * float(np.delete(sizes, big).max()) + GAP
    found = {tuple(pair) for pair in candidates(points, sizes, big, reach, GAP).tolist()}
    overlapping = {
        (i, j)
        for i, j in itertools.combinations(range(len(points)), 2)
        if math.dist(points[i], points[j]) < sizes[i] + sizes[j] + GAP
    }
    assert overlapping and overlapping <= found


def test_separated_discs_no_longer_overlap() -> None:
    # A crowded cloud: given enough rounds, every pair is pushed apart.
    rng = np.random.default_rng(6)
    spots = [(float(x), float(y)) for x, y in rng.normal(size=(200, 2)) * 150]
    radii = [float(r) for r in 10 + 5 * np.sqrt(rng.integers(1, 6, size=200))]
    moved = separate(spots, radii, GAP, rounds=200)
    assert len(moved) == len(spots)
    worst = min(
        math.dist(moved[i], moved[j]) - radii[i] - radii[j]
        for i, j in itertools.combinations(range(len(moved)), 2)
    )
    assert worst > 0  # no two discs overlap (the gap for labels is kept approximately)
