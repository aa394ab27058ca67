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


def device_absent(devices: list[Device], wanted: int | str | None, role: str) -> str:
    """Why a device the user named (by number or by part of its name) cannot be used as the
    microphone or the speakers; "" when it can, or when none was named."""
    if wanted is None or wanted == "":
        return ""
    channels = (lambda d: d.inputs) if role == "microphone" else (lambda d: d.outputs)
    if isinstance(wanted, int) or str(wanted).isdigit():
        index = int(wanted)
        device = next((d for d in devices if d.index == index), None)
        if device is None:
            if not devices:
                return f"There is no audio device {index}: no audio devices were found at all."
            return (f"There is no audio device {index}; 'backcare devices' lists the "
                    f"{len(devices)} there are.")
        if not channels(device):
            return f"Device {index} ({device.name}) cannot be used as the {role}."
        return ""
    if not any(str(wanted).lower() in d.name.lower() and channels(d) for d in devices):
        return f"No {role} called {wanted!r} was found; 'backcare devices' lists them."
    return ""
