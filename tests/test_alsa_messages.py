"""alsa-lib's messages are counted, not printed, while the voice session's audio lives."""

from __future__ import annotations

import ctypes
import ctypes.util

import pytest

from voice.audio.alsa import AlsaMessages


def _open_a_device_that_does_not_exist() -> int:
    """alsa-lib reports "Unknown PCM" through its error printer, as it does for probing."""
    name = ctypes.util.find_library("asound")
    if name is None:
        pytest.skip("alsa-lib is not installed")
    library = ctypes.CDLL(name)
    pcm = ctypes.c_void_p()
    return library.snd_pcm_open(ctypes.byref(pcm), b"no_such_backcare_device", 0, 0)


def test_alsa_messages_are_kept_off_the_terminal_and_counted(capfd):
    with AlsaMessages() as messages:
        assert _open_a_device_that_does_not_exist() < 0
    assert messages.count == 1
    assert "Unknown PCM" in messages.last[-1]
    assert capfd.readouterr().err == ""


def test_after_the_audio_is_closed_alsa_prints_its_messages_again(capfd):
    with AlsaMessages():
        pass
    _open_a_device_that_does_not_exist()
    assert "Unknown PCM no_such_backcare_device" in capfd.readouterr().err
