"""OpenVoiceOS's own processes on the loopback, for testing the backcare skill as a device runs it.

Started for real: the message bus (`ovos-messagebus`, a websocket on a free port of
127.0.0.1) and the skills service (`ovos-core`: the skill manager, which loads the skill by its
entry point, and the intent service), each a child process of this Python in a process group
of its own, with a configuration, data and journal in a temporary folder (never the user's
~/.config or ~/.local) and the network refused (`harness.offline`: every attempt beyond the
loopback is logged and fails, so a run also proves the skill loads on an offline device).
While it runs, this process's own XDG folders point at the run's, too (the client reads
OpenVoiceOS's configuration); they are put back after.

Stood in for, by one `ovos_bus_client.MessageBusClient` of this process: the listener (a
`Device` puts `recognizer_loop:utterance` on the bus, as the device's own microphone or as a
satellite with its own session) and the audio service (each `speak` is "said" in a moment, one
queue per session, and reported as ovos-audio reports it; `mycroft.audio.speech.stop` cuts the
session's queue). Every message on the bus is recorded, in the order it arrived.

    with RealAssistant() as assistant:
        kitchen = assistant.satellite("sat-kitchen")
        kitchen.say("check my neck pain")
        question = kitchen.wait_listening()
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import math
import os
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voice.openvoiceos import SKILL_ID

from .offline import offline_env

ROOT = Path(__file__).resolve().parent.parent

# The pipeline harness/assistant.py runs (Padacioso, the matcher ovos-core has without
# ovos-padatious); "stock" is OpenVoiceOS's own default (Padatious, Adapt, OCP, ...), which
# matches the skill's intents only when ovos-padatious is installed.
PADACIOSO_PIPELINE = [
    "ovos-stop-pipeline-plugin-high",
    "ovos-converse-pipeline-plugin",
    "ovos-padacioso-pipeline-plugin-high",
    "ovos-padacioso-pipeline-plugin-medium",
    "ovos-fallback-pipeline-plugin-high",
    "ovos-stop-pipeline-plugin-medium",
    "ovos-padacioso-pipeline-plugin-low",
    "ovos-fallback-pipeline-plugin-medium",
    "ovos-fallback-pipeline-plugin-low",
]
STOCK = "stock"
PADACIOSO = "padacioso"

# How long the stand-in audio service takes to "say" a line: a few times faster than a voice.
SAY_S = 0.05
SAY_S_PER_WORD = 0.01
STOP_GRACE_S = 10.0  # after SIGINT, this long before SIGKILL
XDG = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")
# What the skill sends when it waits for an answer in a session: the listener is told to open
# the microphone; ovos-workshop's get_response also announces its wait.
LISTEN = ("mycroft.mic.listen", f"{SKILL_ID}.get_response.waiting")
LISTEN_ENDED = "skill.converse.get_response.disable"
DEFAULT_SESSION = "default"  # the device's own microphone (ovos-core's own session)

_running: set[int] = set()  # process groups started and not yet seen gone, for atexit


def default_pipeline() -> str:
    """OpenVoiceOS's stock pipeline where ovos-padatious is installed (as on a real device),
    else the Padacioso one."""
    return STOCK if importlib.util.find_spec("ovos_padatious") is not None else PADACIOSO


def missing() -> list[str]:
    """The OpenVoiceOS parts this harness needs that are not installed."""
    needed = ("ovos_core", "ovos_messagebus", "ovos_bus_client", "ovos_workshop")
    return [name for name in needed if importlib.util.find_spec(name) is None]


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass(frozen=True)
class Heard:
    """One message on the bus, as the stand-in client received it."""

    type: str
    data: dict[str, Any]
    context: dict[str, Any]
    session: str  # the session id in its context ("default" when none)
    at: float  # time.monotonic() on arrival

    @property
    def utterance(self) -> str:
        return str(self.data.get("utterance", ""))


@dataclass(frozen=True)
class Said:
    """One utterance a device put on the bus, and when."""

    words: str
    session: str
    at: float
    index: int  # how many messages had been heard when it was sent
    answer: bool  # said while the skill waited for an answer in that session


@dataclass
class Device:
    """A microphone and speaker of the assistant: the device's own (session "default", whose
    state ovos-core keeps, as with ovos-dinkum-listener), or a satellite with its own session,
    kept as ovos-core sends it back (as HiveMind does: a satellite's session carries its state,
    which skills are active and which one waits for an answer)."""

    assistant: RealAssistant = field(repr=False)
    session_id: str
    lang: str
    session: Any = None  # an ovos_bus_client Session for a satellite; None for the device's own
    _mark: int = 0  # messages heard before this device last said or sent something
    _mark_at: float = 0.0  # and when

    # ----------------------------------------------------------------- input
    def say(self, words: str) -> None:
        """What the listener puts on the bus once it has recognised `words`."""
        answer = self.listening()
        context: dict[str, Any] = {"source": "audio", "destination": ["skills"]}
        if self.session is not None:
            context["session"] = self.session.serialize()
        self._mark_at = time.monotonic()
        self._mark = self.assistant.send("recognizer_loop:utterance",
                                         {"utterances": [words], "lang": self.lang}, context,
                                         said=(words, self.session_id, answer))

    def answer(self, choose: Callable[[str], str], timeout: float = 25.0, delay: float = 0.3) -> str:
        """Once the skill waits for an answer here, say what `choose` makes of the question
        (the last line said before the wait), `delay` seconds later, as a person would; the
        words said."""
        question = self.wait_listening(timeout)
        words = choose(question)
        time.sleep(delay)
        self.say(words)
        return words

    def send(self, kind: str, data: dict[str, Any] | None = None) -> None:
        """A message of `kind` in this session (e.g. `mycroft.stop`, as a stop button sends)."""
        context: dict[str, Any] = {"source": "audio", "destination": ["skills"]}
        if self.session is not None:
            context["session"] = self.session.serialize()
        self._mark_at = time.monotonic()
        self._mark = self.assistant.send(kind, data or {}, context)

    # ---------------------------------------------------------------- output
    def heard(self, since: int = 0) -> list[Heard]:
        """The messages of this session, from message number `since` on."""
        return [m for m in self.assistant.messages(since) if m.session == self.session_id]

    def spoken(self, since: int | None = None) -> list[str]:
        """The lines said in this session (since this device last said something, unless
        `since` gives a message number: 0 for all)."""
        start = self._mark if since is None else since
        return [m.utterance for m in self.heard(start) if m.type == "speak"]

    def listening(self) -> bool:
        """Whether the skill waits for an answer here, asked after the last words said here."""
        kinds = [m.type for m in self.heard(self._mark) if m.type in (*LISTEN, LISTEN_ENDED)]
        return bool(kinds) and kinds[-1] != LISTEN_ENDED

    def wait_listening(self, timeout: float = 25.0) -> str:
        """Wait until the skill waits for an answer here; the question (the last line said
        here before it, "" if none was)."""
        self.assistant.wait_for(self.listening, timeout,
                                f"the skill to listen in session {self.session_id!r}", self)
        spoken = self.spoken()
        return spoken[-1] if spoken else ""

    def wait_said(self, part: str, timeout: float = 25.0) -> str:
        """The first line said here since the last words said here that holds `part`."""
        found: list[str] = []

        def ready() -> bool:
            found[:] = [line for line in self.spoken() if part.lower() in line.lower()]
            return bool(found)

        self.assistant.wait_for(ready, timeout, f"{part!r} in session {self.session_id!r}", self)
        return found[0]

    def wait_quiet(self, quiet: float = 2.0, timeout: float = 25.0) -> None:
        """Wait until nothing has been heard in this session for `quiet` seconds."""
        def ready() -> bool:
            last = self.heard(self._mark)
            return time.monotonic() - (last[-1].at if last else self._mark_at) >= quiet

        self.assistant.wait_for(ready, timeout, f"quiet in session {self.session_id!r}", self)

    def mark(self) -> int:
        """The message number of now: what `spoken(since=...)` counts from."""
        return self.assistant.count()

    def _update(self, heard: Heard) -> None:
        if self.session is not None and "session" in heard.context:
            from ovos_bus_client.session import Session

            self.session = Session.deserialize(heard.context["session"])


@dataclass
class _Process:
    name: str
    popen: subprocess.Popen
    log: Path


@dataclass(repr=False)
class RealAssistant:
    """`ovos-messagebus` and `ovos-core` with the skill loaded, and a client standing in for the
    listener and the audio service. A context manager: entering starts everything and waits
    for the skill to load; leaving stops every process it started."""

    lang: str = "en-US"  # the device's language (mycroft.conf)
    pipeline: str | list[str] = field(default_factory=default_pipeline)  # STOCK, PADACIOSO or a list
    get_response_timeout: float | None = None  # seconds (None: OpenVoiceOS's own, 20)
    load_timeout: float = 90.0  # for the skill to be loaded
    keep_logs_in: Path | None = None  # where to copy the logs before the run's folder is removed
    folder: Path = field(init=False)
    port: int = field(init=False)
    started_in: float = field(default=0.0, init=False)  # seconds from starting the bus to the skill loaded
    network_log: Path = field(init=False)
    _processes: list[_Process] = field(default_factory=list, init=False)
    _heard: list[Heard] = field(default_factory=list, init=False)
    _said: list[Said] = field(default_factory=list, init=False)
    _devices: dict[str, Device] = field(default_factory=dict, init=False)
    _changed: threading.Condition = field(default_factory=threading.Condition, init=False)
    _voices: dict[str, _Voice] = field(default_factory=dict, init=False)
    _saved_env: dict[str, str | None] = field(default_factory=dict, init=False)
    _client: Any = field(default=None, init=False)

    def __repr__(self) -> str:
        port = self.__dict__.get("port")
        return f"RealAssistant(lang={self.lang!r}, pipeline={self.pipeline!r}, port={port})"

    # ------------------------------------------------------------- lifetime
    def __enter__(self) -> RealAssistant:
        self.folder = Path(tempfile.mkdtemp(prefix="backcare-ovos-"))
        try:
            self._start()
        except BaseException:
            self._stop()
            raise
        return self

    def __exit__(self, *failure: object) -> None:
        left = self._stop()
        if left and failure[0] is None:
            raise AssertionError(f"processes left running after the stop: {left}")

    def _start(self) -> None:
        began = time.monotonic()
        self.port = _free_port()
        env = self._environment()
        self._private_env(env)  # this process's OpenVoiceOS config, too, is the run's own
        self._write_config(env)
        self._spawn("bus", "ovos_messagebus", env)
        self._wait_port(timeout=30.0)
        self._connect()
        self._spawn("core", "ovos_core", env)
        self._wait_loaded()
        self.started_in = time.monotonic() - began

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("OVOS_CONFIG_", "OVOS_DEFAULT_CONFIG"))}
        added, self.network_log = offline_env(self.folder, loopback=True)
        env.update(added)
        # the project's own code first (its working tree, as the tests run it)
        env["PYTHONPATH"] = os.pathsep.join([str(self.folder / "offline-site"), str(ROOT),
                                             *filter(None, [os.environ.get("PYTHONPATH")])])
        for name in XDG:
            env[name] = str(self.folder / "xdg" / name.split("_")[1].lower())
        env.update({
            "HOME": str(self.folder / "home"),  # nothing reaches the user's own home
            "BACKCARE_DATA_DIR": str(self.folder / "backcare-data"),
            "BACKCARE_CONFIG_DIR": str(self.folder / "backcare-config"),
            "MYCROFT_SYSTEM_CONFIG": str(self.folder / "etc" / "mycroft.conf"),  # none
            "OVOS_DISTRIBUTION_CONFIG": str(self.folder / "usr" / "mycroft.conf"),  # none
            "PYTHONUNBUFFERED": "1",
        })
        for name in ("HOME", "BACKCARE_DATA_DIR", "BACKCARE_CONFIG_DIR", *XDG):
            Path(env[name]).mkdir(parents=True, exist_ok=True)
        return env

    def _private_env(self, env: dict[str, str]) -> None:
        for name in (*XDG, "MYCROFT_SYSTEM_CONFIG", "OVOS_DISTRIBUTION_CONFIG"):
            self._saved_env[name] = os.environ.get(name)
            os.environ[name] = env[name]

    def _write_config(self, env: dict[str, str]) -> None:
        config: dict[str, Any] = {
            "lang": self.lang,
            "websocket": {"host": "127.0.0.1", "port": self.port, "route": "/core", "ssl": False,
                          "shared_connection": True, "max_msg_size": 25},
            "gui_websocket": {"host": "127.0.0.1", "base_port": _free_port(), "route": "/gui",
                              "ssl": False},
            "gui": {"disable_gui": True},
            "log_level": "DEBUG",
            "logging": {"log_level": "DEBUG", "logs": {"path": "stdout"}},
        }
        pipeline = self.session_pipeline()
        if self.pipeline != STOCK:
            config["intents"] = {"pipeline": pipeline}
        if self.get_response_timeout is not None:
            config["skills"] = {"get_response_timeout": self.get_response_timeout}
        path = Path(env["XDG_CONFIG_HOME"]) / "mycroft" / "mycroft.conf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(config, indent=2), encoding="utf-8")

    def session_pipeline(self) -> list[str]:
        """The pipeline a satellite's session carries: the device's."""
        if self.pipeline == PADACIOSO:
            return list(PADACIOSO_PIPELINE)
        if self.pipeline == STOCK:
            from ovos_config.locations import DEFAULT_CONFIG
            from ovos_config.models import LocalConf

            return list(LocalConf(DEFAULT_CONFIG)["intents"]["pipeline"])
        return list(self.pipeline)

    def _spawn(self, name: str, module: str, env: dict[str, str]) -> None:
        log = self.folder / f"{name}.log"
        with open(log, "wb") as out:
            popen = subprocess.Popen([sys.executable, "-m", module], env=env, cwd=self.folder,
                                     stdin=subprocess.DEVNULL, stdout=out,
                                     stderr=subprocess.STDOUT, start_new_session=True,
                                     preexec_fn=_die_with_parent)
        _running.add(popen.pid)
        self._processes.append(_Process(name, popen, log))

    def _wait_port(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1.0).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"ovos-messagebus did not listen on port {self.port} in {timeout} s"
                             f"\n{self.log_tail('bus')}")

    def _connect(self) -> None:
        from ovos_bus_client import MessageBusClient
        from pyee import EventEmitter

        # A plain emitter: handlers run on the websocket's thread, one message after another,
        # so the record keeps the bus's order.
        self._client = MessageBusClient(host="127.0.0.1", port=self.port, route="/core",
                                        ssl=False, emitter=EventEmitter())
        self._client.on("message", self._record)
        self._client.run_in_thread()
        if not self._client.connected_event.wait(30):
            raise AssertionError(f"could not connect to ovos-messagebus\n{self.log_tail('bus')}")

    def _wait_loaded(self) -> None:
        """Ask the skill manager for its skills until the skill is loaded and active."""
        deadline = time.monotonic() + self.load_timeout
        # Padatious answers `mycroft.skills.train` once it has trained (Padacioso needs none)
        train = importlib.util.find_spec("ovos_padatious") is not None and any(
            "padatious" in stage for stage in self.session_pipeline())
        while time.monotonic() < deadline:
            self._check_alive()
            since = self.count()
            self.send("skillmanager.list", {}, {"source": "tests", "destination": ["skills"]})
            listed = self._wait_message("mycroft.skills.list", since, 2.0)
            if listed is not None and listed.data.get(SKILL_ID, {}).get("active"):
                if not train or self._wait_message("mycroft.skills.trained", 0,
                                                   deadline - time.monotonic()):
                    return
            time.sleep(1.0)
        listed_now = [m.data for m in self.messages() if m.type == "mycroft.skills.list"][-1:]
        raise AssertionError(
            f"{SKILL_ID} was not loaded {self.load_timeout} s after ovos-core started "
            f"(skillmanager.list -> {listed_now})\n{self.log_tail('core')}")

    def _check_alive(self) -> None:
        for process in self._processes:
            if process.popen.poll() is not None:
                raise AssertionError(f"{process.name} exited ({process.popen.returncode})\n"
                                     f"{self.log_tail(process.name)}")

    def _stop(self) -> list[str]:
        """Stop everything (skills service, client, bus); the processes still found after."""
        for process in reversed(self._processes):  # core before the bus it talks through
            if process.name == "bus" and self._client is not None:
                self._client.close()
                self._client = None
            _stop_group(process.popen)
        if self._client is not None:
            self._client.close()
            self._client = None
        for voice in self._voices.values():
            voice.close()
        left = [f"{p.name} (group {p.popen.pid})" for p in self._processes
                if _group_alive(p.popen.pid)]
        for name, value in self._saved_env.items():
            os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
        if self.keep_logs_in is not None and hasattr(self, "folder"):
            self.keep_logs_in.mkdir(parents=True, exist_ok=True)
            for log in [*self.folder.glob("*.log"), *self.folder.glob("xdg/config/mycroft/*.conf")]:
                shutil.copy2(log, self.keep_logs_in / log.name)
        if hasattr(self, "folder"):
            shutil.rmtree(self.folder, ignore_errors=True)
        return left

    # ---------------------------------------------------------------- devices
    def device(self) -> Device:
        """The device's own microphone and speaker (ovos-core's default session)."""
        return self._devices.setdefault(DEFAULT_SESSION, Device(self, DEFAULT_SESSION, self.lang))

    def devices(self) -> list[Device]:
        """The device and the satellites used so far."""
        return list(self._devices.values())

    def satellite(self, session_id: str, lang: str | None = None) -> Device:
        """A satellite with a session of its own (made once, then the same one)."""
        if session_id not in self._devices:
            from ovos_bus_client.session import Session

            lang = lang or self.lang
            session = Session(session_id, lang=lang, pipeline=self.session_pipeline())
            self._devices[session_id] = Device(self, session_id, lang, session)
        return self._devices[session_id]

    # --------------------------------------------------------------- the bus
    def send(self, kind: str, data: dict[str, Any], context: dict[str, Any],
             said: tuple[str, str, bool] | None = None) -> int:
        """Put a message on the bus; the number of messages heard before it."""
        from ovos_bus_client.message import Message

        with self._changed:
            index = len(self._heard)
            if said is not None:
                self._said.append(Said(said[0], said[1], time.monotonic(), index, said[2]))
        self._client.emit(Message(kind, data, context))
        return index

    def count(self) -> int:
        with self._changed:
            return len(self._heard)

    def messages(self, since: int = 0) -> list[Heard]:
        with self._changed:
            return self._heard[since:]

    def types(self, since: int = 0) -> list[str]:
        return [m.type for m in self.messages(since)]

    def wait_for(self, ready: Callable[[], bool], timeout: float, what: str,
                 device: Device | None = None) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not ready():
                left = deadline - time.monotonic()
                if left <= 0:
                    said = device.spoken(since=0)[-8:] if device is not None else []
                    raise AssertionError(f"waited {timeout} s for {what}; last lines said there: "
                                         f"{said}\n{self.log_tail('core', 15)}")
                self._changed.wait(min(left, 0.1))

    def _wait_message(self, kind: str, since: int, timeout: float) -> Heard | None:
        found: list[Heard] = []

        def ready() -> bool:
            found[:] = [m for m in self.messages(since) if m.type == kind]
            return bool(found)

        try:
            self.wait_for(ready, timeout, kind)
        except AssertionError:
            return None
        return found[0]

    def _record(self, serialized: str) -> None:
        message = json.loads(serialized)
        context = message.get("context") or {}
        session = (context.get("session") or {}).get("session_id") or DEFAULT_SESSION
        heard = Heard(message.get("type", ""), message.get("data") or {}, context, session,
                      time.monotonic())
        with self._changed:
            self._heard.append(heard)
            self._changed.notify_all()
        device = self._devices.get(session)
        if device is not None:
            device._update(heard)
        if heard.type == "speak":
            self._voice(session).say(heard)
        elif heard.type == "mycroft.audio.speech.stop":
            self._voice(session).cut()
        elif heard.type == "gui.status.request":  # as ovos-gui answers with no screen attached
            self._emit(_message(heard).response({"connected": False}))

    def _voice(self, session: str) -> _Voice:
        if session not in self._voices:
            self._voices[session] = _Voice(self)
        return self._voices[session]

    def _emit(self, message: Any) -> None:
        client = self._client
        if client is not None:
            client.emit(message)

    # ----------------------------------------------------------- measurement
    def latencies(self) -> list[tuple[Said, float]]:
        """Each utterance and the seconds to the first `speak` in its session after it (before
        that session's next utterance); utterances answered by no line are left out."""
        with self._changed:
            said, heard = list(self._said), list(self._heard)
        found = []
        for n, utterance in enumerate(said):
            following = [s.index for s in said[n + 1:] if s.session == utterance.session]
            end = following[0] if following else len(heard)
            for message in heard[utterance.index:end]:
                if message.type == "speak" and message.session == utterance.session:
                    found.append((utterance, message.at - utterance.at))
                    break
        return found

    def latency_summary(self) -> str:
        """p50/p95/max of `latencies`, for the answers to questions and for every utterance."""
        rows = []
        for label, keep in (("answers", lambda s: s.answer), ("all", lambda s: True)):
            found = [(said, seconds * 1000) for said, seconds in self.latencies() if keep(said)]
            if found:
                values = [ms for _, ms in found]
                slowest, ms = max(found, key=lambda pair: pair[1])
                rows.append(f"{label}: n={len(values)} p50={statistics.median(values):.0f} ms "
                            f"p95={percentile(values, 0.95):.0f} ms max={ms:.0f} ms "
                            f"({slowest.words!r} in {slowest.session})")
        return "utterance -> first speak in its session: " + ("; ".join(rows) or "none measured")

    # -------------------------------------------------------------- reports
    def log_tail(self, name: str, lines: int = 40) -> str:
        log = self.folder / f"{name}.log"
        if not log.exists():
            return f"(no {name} log)"
        text = log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        return f"--- last {len(text)} lines of the {name} log ---\n" + "\n".join(text)

    def network_attempts(self) -> list[str]:
        """Every attempt at the network the children made (all refused)."""
        if not self.network_log.exists():
            return []
        return self.network_log.read_text(encoding="utf-8").splitlines()


class _Voice:
    """The stand-in audio service for one session: says one line after another."""

    def __init__(self, assistant: RealAssistant):
        self.assistant = assistant
        self.lines: queue.Queue[Heard | None] = queue.Queue()
        self.cutting = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name="stand-in-voice")
        self.thread.start()

    def say(self, heard: Heard) -> None:
        self.lines.put(heard)

    def cut(self) -> None:
        """`mycroft.audio.speech.stop`: the line being said ends now, the queued ones are dropped."""
        while True:
            try:
                self.lines.get_nowait()
            except queue.Empty:
                break
        self.cutting.set()

    def close(self) -> None:
        self.lines.put(None)

    def _run(self) -> None:
        while (heard := self.lines.get()) is not None:
            self.cutting.clear()
            self.assistant._emit(_message(heard).forward("recognizer_loop:audio_output_start"))
            self.cutting.wait(SAY_S + SAY_S_PER_WORD * len(heard.utterance.split()))
            self.assistant._emit(_message(heard).forward("recognizer_loop:audio_output_end"))


def _die_with_parent() -> None:
    """In the child, before it runs: SIGKILL when the tests' process dies, however it dies
    (Linux's PR_SET_PDEATHSIG; atexit does not run when the tests are killed)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG


def _message(heard: Heard) -> Any:
    from ovos_bus_client.message import Message

    return Message(heard.type, heard.data, heard.context)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop_group(popen: subprocess.Popen) -> None:
    """SIGINT to the process group, SIGKILL after STOP_GRACE_S; the leader reaped."""
    pgid = popen.pid
    if _group_alive(pgid):
        try:
            os.killpg(pgid, signal.SIGINT)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + STOP_GRACE_S
        while time.monotonic() < deadline and _group_alive(pgid):
            if popen.poll() is not None and not _group_alive(pgid):
                break
            popen.poll()  # reap the leader, so a zombie does not count as alive
            time.sleep(0.1)
        if _group_alive(pgid):
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    try:
        popen.wait(5)
    except subprocess.TimeoutExpired:
        pass
    deadline = time.monotonic() + 5
    while _group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if not _group_alive(pgid):
        _running.discard(pgid)


@atexit.register
def _kill_leftovers() -> None:
    """Whatever a crashed test run left: no OpenVoiceOS outlives the tests."""
    for pgid in list(_running):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

