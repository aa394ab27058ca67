"""One speech rate for every voice: words a minute, as espeak-ng's own setting counts them.

The user's rate (100-350, "slower", "faster") has always been espeak-ng's `-s`.
The natural voice has a `speed` instead, and at speed 1.0 it talks faster than
espeak-ng at 170.  Both were measured on the same sentences (the exercise
instructions, silence at either end trimmed; `python -m bench.speech_rate`
refits it), and the table is data (models/speech_rate.yaml): a rate is turned
into the words a minute espeak-ng really speaks at it, then into the speed at
which the natural voice speaks as fast.  So "170" sounds as quick in either
voice, and a change of voice never changes how fast the routine talks.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

from ..content.schema import Fields
from ..content.yamlsource import ContentError, Where, load_yaml

Curve = tuple[tuple[float, float], ...]  # (setting, measured words a minute), rising


@dataclass(frozen=True)
class RateCalibration:
    espeak: Curve  # espeak-ng -s words a minute -> measured words a minute
    hibari: Curve  # hibari speed -> measured words a minute

    def spoken_wpm(self, wpm: float) -> float:
        """How many words a minute espeak-ng really speaks at the rate `wpm`."""
        return _interpolate(self.espeak, wpm)

    def hibari_speed(self, wpm: float) -> float:
        """The natural voice's speed that sounds as fast as espeak-ng at `wpm`."""
        inverse = tuple((measured, setting) for setting, measured in self.hibari)
        return round(_interpolate(inverse, self.spoken_wpm(wpm)), 3)


def _interpolate(curve: Curve, x: float) -> float:
    """Piecewise linear, and straight on past either end."""
    xs = [point[0] for point in curve]
    index = min(max(bisect_left(xs, x), 1), len(curve) - 1)
    (x0, y0), (x1, y1) = curve[index - 1], curve[index]
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


def calibration_path() -> Path:
    from ..content.paths import catalog_file

    return catalog_file("speech_rate.yaml")


def load_calibration(path: Path | None = None) -> RateCalibration:
    path = path or calibration_path()
    doc = Fields(load_yaml(path), "", Where(str(path), 1))
    curves = {key: _read_curve(doc, key) for key in ("espeak", "hibari")}
    doc.done()
    return RateCalibration(curves["espeak"], curves["hibari"])


def _read_curve(doc: Fields, key: str) -> Curve:
    points = []
    for item in doc.items(key):
        points.append((item.number("setting", minimum=0), item.number("wpm", minimum=1)))
        item.done()
    if len(points) < 2:
        raise doc.error(key, "a curve needs at least two measured points")
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if not (x1 > x0 and y1 > y0):
            raise ContentError(doc.at(key), doc.field(key), "the points must rise in both the "
                               f"setting and the measured rate ({x0}, {y0} then {x1}, {y1})")
    return tuple(points)
