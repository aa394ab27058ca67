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


@contextmanager
def null_sink_daemon(rate: int = 16000, user_mic: bool = False):
    """A daemon with sink `vsink` (what the assistant plays); with `user_mic`, also a sink
    `usermic` whose monitor is the default source, so whatever a test plays into it is
    what the assistant's microphone hears."""
    runtime = Path(tempfile.mkdtemp(prefix="backcare-pulse-"))
    runtime.chmod(0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(runtime)}
    daemon = subprocess.Popen(
        ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit", "-n",
         f"--log-target=file:{runtime}/pa.log",
         "--load=module-native-protocol-unix auth-anonymous=1",
         f"--load=module-null-sink sink_name=vsink rate={rate} channels=1 "
         "sink_properties=device.description=VirtualSink",
         *([f"--load=module-null-sink sink_name=usermic rate={rate} channels=1 "
            "sink_properties=device.description=UserMic"] if user_mic else [])],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0:
                break
            if daemon.poll() is not None:
                raise RuntimeError(f"pulseaudio exited: {(runtime / 'pa.log').read_text()[-2000:]}")
            time.sleep(0.05)
        else:
            raise RuntimeError("pulseaudio did not answer within 15 s")
        if user_mic:
            subprocess.run(["pactl", "set-default-sink", "vsink"], env=env, check=True)
            subprocess.run(["pactl", "set-default-source", "usermic.monitor"], env=env, check=True)
        yield env
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
        shutil.rmtree(runtime, ignore_errors=True)
