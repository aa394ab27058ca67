"""What the sink received, line by line: each line the assistant said found whole in the
sink's recording, or stretched by a hole (the device ran dry inside it).  Used by
`python -m bench.hands_free load`."""

from __future__ import annotations

import numpy as np

RATE = 16000  # the recording's rate (parec --rate)


def said_lines(events: list[dict], renderer, wpm: int) -> list[tuple[float, np.ndarray]]:
    """Each line the session said, with its time in the session, as the renderer cached it."""
    lines = []
    for event in events:
        if event["event"] in ("say", "ask", "cue"):
            text = event.get("spoken") or event["text"]
            if renderer.cached(text, wpm):
                lines.append((event["t"], renderer.render(text, wpm).samples))
    return lines


def sink_check(recording: np.ndarray, lines: list[tuple[float, np.ndarray]],
               edge_s: float = 0.25, within_s: float = 120.0) -> str:
    """Find each line's first and last `edge_s` in the sink recording (normalised
    cross-correlation above 0.9) within `within_s` after it was said (on the recording's
    clock, set by the first line), and compare the span
    between them with the line's own length: a line that sounded whole spans exactly its
    length; an underrun inside it left silence that stretches it.  Lines shorter than three
    edges are not checked; a line whose start was found without its end (cut by the person,
    or a start it shares with another line) is counted apart."""
    signal = recording.astype(np.float64)
    edge = int(edge_s * RATE)

    def places(template: np.ndarray, start: int, stop: int) -> list[int]:
        window = signal[max(0, start):min(len(signal), stop)]
        valid = len(window) - len(template) + 1
        if valid <= 0:
            return []
        size = 1 << int(np.ceil(np.log2(len(window) + len(template))))
        corr = np.fft.irfft(np.fft.rfft(window, size) * np.conj(np.fft.rfft(template, size)),
                            size)[:valid]
        energy = np.concatenate([[0.0], np.cumsum(window ** 2)])
        local = np.sqrt(np.maximum(energy[len(template):] - energy[:valid], 1e-9))
        score = corr / (np.linalg.norm(template) * local + 1e-9)
        found: list[int] = []
        for hit in np.flatnonzero(score > 0.9):  # one place per run of neighbouring hits
            if found and hit + max(0, start) - found[-1] < edge:
                if score[hit] > score[found[-1] - max(0, start)]:
                    found[-1] = int(hit) + max(0, start)
            else:
                found.append(int(hit) + max(0, start))
        return found

    checkable = [(said_at, clip.astype(np.float64)) for said_at, clip in lines
                 if len(clip) >= 3 * edge and np.any(clip[:edge]) and np.any(clip[-edge:])]
    # The recording is not on the session's clock: the monitor records nothing until the
    # sink first plays, so it can run a second or two behind (more than a short output
    # buffer puts the lines late).  The first line found says by how much; a line that
    # sounded later than it was said (a deep buffer, a starved session) is found anyway,
    # the search running forwards.
    offset = 0
    if checkable:
        said_at, samples = checkable[0]
        first = places(samples[:edge], 0, int((said_at + within_s) * RATE))
        offset = min(0, first[0] - int(said_at * RATE)) if first else 0
    checked, whole, unmatched, stretched = 0, 0, 0, []
    for said_at, samples in checkable:
        checked += 1
        start = int(said_at * RATE) + offset - RATE // 2
        extras = []  # for each place its start was found: how much longer it took to sound
        for head in places(samples[:edge], start, start + int(within_s * RATE))[:6]:
            low = head + len(samples) - 2 * edge
            tails = places(samples[-edge:], low, low + 2 * edge + 5 * RATE)
            if tails:
                extras.append((tails[0] + edge - head - len(samples)) / RATE * 1000)
        if not extras:
            unmatched += 1
            continue
        extra_ms = min(extras, key=abs)  # the line itself, not another that starts alike
        if abs(extra_ms) > 2.0:
            stretched.append(extra_ms)
        else:
            whole += 1
    return (f"{whole} of {checked} lines sounded whole, {len(stretched)} with a hole"
            + (f" ({', '.join(f'{s:+.0f} ms' for s in stretched)})" if stretched else "")
            + (f", {unmatched} not found whole" if unmatched else ""))
