"""The load benchmark's account of the sink: each line found whole, or stretched by a hole,
on a recording that does not start when the session does."""

from __future__ import annotations

import numpy as np

from bench.sink import RATE, sink_check


def line(seconds: float, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 4000, int(seconds * RATE)).astype(np.int16)


def test_lines_are_found_whole_on_a_recording_that_runs_behind_the_session():
    first, second = line(1.5, 1), line(1.2, 2)
    lag_s = 1.7  # the monitor recorded nothing until the sink first played
    recording = np.zeros(int(12 * RATE), np.int16)
    for said_at, clip in ((2.0, first), (6.0, second)):
        at = int((said_at - lag_s + 0.1) * RATE)  # heard 0.1 s after it was said
        recording[at:at + len(clip)] = clip
    assert sink_check(recording, [(2.0, first), (6.0, second)]) == \
        "2 of 2 lines sounded whole, 0 with a hole"


def test_a_hole_inside_a_line_stretches_it():
    clip = line(1.5, 3)
    recording = np.zeros(int(8 * RATE), np.int16)
    at, cut = int(1.0 * RATE), int(0.7 * RATE)
    recording[at:at + cut] = clip[:cut]
    hole = int(0.3 * RATE)  # the device ran dry for 300 ms
    recording[at + cut + hole:at + len(clip) + hole] = clip[cut:]
    assert sink_check(recording, [(1.0, clip)]) == "0 of 1 lines sounded whole, 1 with a hole (+300 ms)"


def test_a_first_line_that_sounded_late_does_not_push_the_search_past_the_next():
    first, second = line(1.5, 4), line(1.2, 5)
    recording = np.zeros(int(14 * RATE), np.int16)
    # starved: the first line sounded 6 s after it was said, the second at once
    for sounded_at, clip in ((8.0, first), (10.0, second)):
        at = int(sounded_at * RATE)
        recording[at:at + len(clip)] = clip
    assert sink_check(recording, [(2.0, first), (10.0, second)]) == \
        "2 of 2 lines sounded whole, 0 with a hole"
