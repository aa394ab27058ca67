"""Audio devices as PortAudio sees them, and a plain answer to "can I listen and speak?"."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Device:
    index: int
    name: str
    inputs: int
    outputs: int
    default_rate: float


def list_devices() -> tuple[list[Device], str]:
    """Every device, and a message when PortAudio itself is missing."""
    try:
        import sounddevice
    except OSError as error:  # libportaudio2 missing
        return [], f"PortAudio is not installed ({error}); install libportaudio2."
    found = []
    for index, info in enumerate(sounddevice.query_devices()):
        found.append(Device(index, info["name"], info["max_input_channels"],
                            info["max_output_channels"], info["default_samplerate"]))
    return found, ""


def missing(devices: list[Device]) -> list[str]:
    """What a voice session lacks, in words a person can act on."""
    problems = []
    if not any(d.inputs > 0 for d in devices):
        problems.append("no microphone (input device) was found")
    if not any(d.outputs > 0 for d in devices):
        problems.append("no speaker or headphones (output device) were found")
    return problems
