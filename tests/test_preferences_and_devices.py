"""Preferences survive between sessions; device listing says plainly what is missing."""

from __future__ import annotations

from support.cli import backcare

from voice.audio.devices import Device, missing
from voice.preferences import Preferences, load_preferences, save_preferences


def test_preferences_round_trip_and_are_clamped(tmp_path):
    path = tmp_path / "preferences.json"
    assert load_preferences(path) == (Preferences(), "")
    save_preferences(Preferences(rate_wpm=500, voice="gmw/en", volume=1.7, earcons=False), path)
    loaded, message = load_preferences(path)
    assert message == "" and loaded == Preferences(rate_wpm=350, voice="gmw/en", volume=1.0,
                                                   earcons=False)


def test_a_damaged_preferences_file_falls_back_to_defaults_with_a_message(tmp_path):
    path = tmp_path / "preferences.json"
    path.write_text("{not json")
    loaded, message = load_preferences(path)
    assert loaded == Preferences() and "could not be read" in message


def test_missing_devices_are_named():
    assert missing([]) == ["no microphone (input device) was found",
                           "no speaker or headphones (output device) were found"]
    headset = Device(0, "headset", 1, 2, 48000.0)
    assert missing([headset]) == []
    assert missing([Device(1, "speakers", 0, 2, 48000.0)]) == ["no microphone (input device) was found"]


def test_devices_command_lists_or_says_none_were_found(monkeypatch):
    monkeypatch.delenv("PULSE_SERVER", raising=False)
    done = backcare("devices")
    assert done.returncode == 0, done.stderr
    assert "input" in done.stdout or "No audio devices" in done.stdout


def test_a_named_device_that_cannot_be_used_is_explained():
    from voice.audio.devices import Device, device_absent

    devices = [Device(0, "USB headset", 1, 2, 48000.0), Device(1, "HDMI", 0, 2, 48000.0)]
    assert device_absent(devices, None, "microphone") == ""
    assert device_absent(devices, "0", "microphone") == ""
    assert device_absent(devices, "headset", "speakers") == ""
    assert "lists the 2 there are" in device_absent(devices, "7", "microphone")
    assert "cannot be used as the microphone" in device_absent(devices, 1, "microphone")
    assert "No speakers called 'bluetooth'" in device_absent(devices, "bluetooth", "speakers")
    assert "no audio devices were found at all" in device_absent([], "3", "speakers")
