"""A PulseAudio daemon with a null sink: real audio devices on a machine with no sound card.

The daemon runs as a child of the test, in its own runtime folder, and is
stopped by PID afterwards.  Clients find it through XDG_RUNTIME_DIR.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path


def available() -> str | None:
    """None if a daemon can be started here, else the reason it cannot."""
    for tool in ("pulseaudio", "pactl"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install pulseaudio pulseaudio-utils)"
    return None


class PulseDaemon:
    """A daemon with sink `vsink` (what the assistant plays); with `user_mic`, also a sink
    `usermic` whose monitor is the default source, so whatever a test plays into it is
    what the assistant's microphone hears. It can be killed and started again, which
    to its clients looks like their devices vanishing and coming back."""

    def __init__(self, rate: int = 16000, user_mic: bool = False):
        self.rate = rate
        self.user_mic = user_mic
        self.runtime = Path(tempfile.mkdtemp(prefix="backcare-pulse-"))
        self.runtime.chmod(0o700)
        self.env = {**os.environ, "XDG_RUNTIME_DIR": str(self.runtime), "HOME": str(self.runtime)}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        rate, runtime, env = self.rate, self.runtime, self.env
        self.process = subprocess.Popen(
            ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit", "-n",
             f"--log-target=file:{runtime}/pa.log",
             "--load=module-native-protocol-unix auth-anonymous=1",
             f"--load=module-null-sink sink_name=vsink rate={rate} channels=1 "
             "sink_properties=device.description=VirtualSink",
             *([f"--load=module-null-sink sink_name=usermic rate={rate} channels=1 "
                "sink_properties=device.description=UserMic"] if self.user_mic else [])],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0:
                break
            if self.process.poll() is not None:
                raise RuntimeError(f"pulseaudio exited: {(runtime / 'pa.log').read_text()[-2000:]}")
            time.sleep(0.05)
        else:
            raise RuntimeError("pulseaudio did not answer within 15 s")
        if self.user_mic:
            subprocess.run(["pactl", "set-default-sink", "vsink"], env=env, check=True)
            subprocess.run(["pactl", "set-default-source", "usermic.monitor"], env=env, check=True)

    def kill(self) -> None:
        """Gone at once, as if the sound card were unplugged."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@contextmanager
def pulse_daemon(rate: int = 16000, user_mic: bool = False):
    daemon = PulseDaemon(rate, user_mic)
    try:
        daemon.start()
        yield daemon
    finally:
        daemon.stop()
        shutil.rmtree(daemon.runtime, ignore_errors=True)


@contextmanager
def null_sink_daemon(rate: int = 16000, user_mic: bool = False):
    """The environment of a running daemon (see PulseDaemon)."""
    with pulse_daemon(rate, user_mic) as daemon:
        yield daemon.env
