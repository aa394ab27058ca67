"""Running a child process as if the machine were offline, and seeing whether it tried.

A `sitecustomize` on the child's path installs an audit hook (PEP 578) before anything
else runs. Every attempt at the network (a connection or a datagram to an internet address,
a name lookup, a URL opened, a socket bound beyond the loopback) is written to a log and
refused with OSError, as if the machine were offline; local sockets (the sound server's)
are allowed, and so is making a socket that goes nowhere (urllib3 makes one when imported,
to see whether the machine has IPv6). With `loopback=True` the machine's own TCP/IP address
is allowed too (a local service such as OpenVoiceOS's message bus on 127.0.0.1), and still
nothing beyond it. Each logged attempt names the files of the code that made it, innermost
first, so a test can tell whose attempt it was.
"""

from __future__ import annotations

import os
from pathlib import Path

HOOK = '''
import os
import socket
import sys

_LOG = os.environ["BACKCARE_NET_LOG"]
_ALLOW_LOOPBACK = os.environ.get("BACKCARE_NET_LOOPBACK") == "1"
_NAMES = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
          "socket.gethostbyaddr", "urllib.Request"}


def _callers():
    frame, files = sys._getframe(3), []
    while frame is not None and len(files) < 40:
        files.append(f"{frame.f_code.co_filename}:{frame.f_lineno}")
        frame = frame.f_back
    return " < ".join(files)


def _refuse(event, detail):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{event} {detail}\\tfrom {_callers()}\\n")
    raise OSError(f"network blocked by the offline test ({event})")


_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _local(address):
    """A loopback address (host, port, ...) when the loopback is allowed."""
    return _ALLOW_LOOPBACK and isinstance(address, tuple) and address[0] in _LOOPBACK


def _hook(event, args):
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg") and not isinstance(
            args[1], (str, bytes)):
        if not _local(args[1]):
            _refuse(event, repr(args[1]))
    elif event == "socket.getaddrinfo" and _ALLOW_LOOPBACK and args[0] in _LOOPBACK:
        pass
    elif event == "socket.bind" and not isinstance(args[1], (str, bytes)) and (
            args[1][0] not in _LOOPBACK):
        _refuse(event, repr(args[1]))
    elif event in _NAMES:
        _refuse(event, repr(args[:2]))


sys.addaudithook(_hook)
'''


def offline_env(folder: Path, loopback: bool = False) -> tuple[dict[str, str], Path]:
    """What to add to a child's environment to block its network (all but the loopback's, if
    `loopback`), and the log of attempts (which exists only if something tried)."""
    site = folder / "offline-site"
    site.mkdir(parents=True, exist_ok=True)
    (site / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    log = folder / "network-attempts.log"
    path = os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])])
    return {"PYTHONPATH": path, "BACKCARE_NET_LOG": str(log),
            "BACKCARE_NET_LOOPBACK": "1" if loopback else "0"}, log
