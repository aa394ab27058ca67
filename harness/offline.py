"""Running a child process as if the machine were offline, and seeing whether it tried.

A `sitecustomize` on the child's path installs an audit hook (PEP 578) before anything
else runs. Every attempt at the network (a connection or a datagram to an internet address,
a name lookup, a URL opened, a socket bound beyond the loopback) is written to a log and
refused with OSError, as if the machine were offline; local sockets (the sound server's)
are allowed, and so is making a socket that goes nowhere (urllib3 makes one when imported,
to see whether the machine has IPv6).
"""

from __future__ import annotations

import os
from pathlib import Path

HOOK = '''
import os
import socket
import sys

_LOG = os.environ["BACKCARE_NET_LOG"]
_NAMES = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
          "socket.gethostbyaddr", "urllib.Request"}


def _refuse(event, detail):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{event} {detail}\\n")
    raise OSError(f"network blocked by the offline test ({event})")


_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _hook(event, args):
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg") and not isinstance(
            args[1], (str, bytes)):
        _refuse(event, repr(args[1]))
    elif event == "socket.bind" and not isinstance(args[1], (str, bytes)) and (
            args[1][0] not in _LOOPBACK):
        _refuse(event, repr(args[1]))
    elif event in _NAMES:
        _refuse(event, repr(args[:2]))


sys.addaudithook(_hook)
'''


def offline_env(folder: Path) -> tuple[dict[str, str], Path]:
    """What to add to a child's environment to block its network, and the log of attempts
    (which exists only if something tried)."""
    site = folder / "offline-site"
    site.mkdir(parents=True, exist_ok=True)
    (site / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    log = folder / "network-attempts.log"
    path = os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])])
    return {"PYTHONPATH": path, "BACKCARE_NET_LOG": str(log)}, log
