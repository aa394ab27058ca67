"""`backcare devices`: the microphones and speakers PortAudio sees, and what is missing."""

from __future__ import annotations

import argparse

from ...audio.alsa import AlsaMessages
from ...audio.devices import list_devices, missing


def run(_args: argparse.Namespace) -> int:
    with AlsaMessages():  # the list, not alsa-lib's probing chatter
        devices, problem = list_devices()
    if problem:
        print(problem)
    if not devices:
        print("No audio devices were found. Plug in a headset, or use --text.")
        return 0
    for device in devices:
        roles = [f"{device.inputs} input" if device.inputs else "",
                 f"{device.outputs} output" if device.outputs else ""]
        print(f"{device.index}: {device.name} ({', '.join(r for r in roles if r)}, "
              f"{device.default_rate:g} Hz)")
    for line in missing(devices):
        print(f"Note: {line}.")
    return 0
