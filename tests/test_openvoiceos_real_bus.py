"""backcare on a real OpenVoiceOS: `ovos-messagebus` and `ovos-core` started on the loopback,
the skill loaded by ovos-core's own skill manager with the network refused, and driven as
a device and its satellites drive it (harness/ovos_bus.py): utterances in, `speak` out, the
answers chosen from each question's words as a person would.

One assistant serves the whole module (starting OpenVoiceOS takes seconds); each test ends
what it began by saying "stop" in its sessions. The tests that a stuck or confused skill
would spoil for the others (two sessions at once, the assistant's global stop) come last.
`BACKCARE_OVOS_PIPELINE=padacioso` (or `stock`) picks the intent pipeline; by default it is
OpenVoiceOS's stock one where ovos-padatious is installed, else Padacioso's.

Needs `pip install '.[test]'` (ovos-core and ovos-messagebus); without them these are
skipped, except in CI, where a missing assistant is a failure.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable, Iterator

import pytest

from harness import ovos_bus
from harness.ovos_bus import ROOT, Device, RealAssistant
from voice.openvoiceos import SKILL_ID

if ovos_bus.missing():
    if os.environ.get("CI"):
        raise RuntimeError(f"CI installs '.[test]', which brings OpenVoiceOS; missing: {ovos_bus.missing()}")
    pytest.skip(f"OpenVoiceOS is not installed (pip install '.[test]'): {ovos_bus.missing()}",
                allow_module_level=True)

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

STEP_S = 25.0  # the longest wait for one step of a conversation
QUIET_S = 2.5  # this long with nothing said: the other session's words changed nothing here


@pytest.fixture(scope="module")
def ovos(tmp_path_factory) -> Iterator[RealAssistant]:
    pipeline = os.environ.get("BACKCARE_OVOS_PIPELINE") or ovos_bus.default_pipeline()
    with RealAssistant(pipeline=pipeline, keep_logs_in=tmp_path_factory.mktemp("ovos-logs")) as running:
        print(f"\nOpenVoiceOS started, {SKILL_ID} loaded, in {running.started_in:.1f} s "
              f"(pipeline: {pipeline})")
        yield running
        print(f"\n{running.latency_summary()} (pipeline: {pipeline})")


@pytest.fixture
def assistant(ovos: RealAssistant) -> Iterator[RealAssistant]:
    """The module's assistant; whatever a test left running is stopped after it."""
    yield ovos
    for device in ovos.devices():
        device.say("stop")
    for device in ovos.devices():
        device.wait_quiet(QUIET_S, timeout=STEP_S)


# ------------------------------------------------------------------ answers
def _clear(question: str) -> str:
    """Forty, the neck, four out of ten, yes to stretches, no to every warning sign."""
    asked = question.lower()
    if "zero to ten" in asked:
        return "four"
    if "how old" in asked:
        return "forty"
    if "where is the pain" in asked:
        return "my neck"
    if "stretches?" in asked:
        return "yes"
    return "no"


def _chest_pain(question: str) -> str:
    """Forty, the neck, and yes to the warning signs (the first one when asked which)."""
    asked = question.lower()
    if any(part in asked for part in ("zero to ten", "how old", "where is the pain")):
        return _clear(question)
    return "one" if "which" in asked else "yes"


def _answer_until(device: Device, choose: Callable[[str], str], done: Callable[[list[str]], bool],
                  limit: int = 40) -> list[str]:
    """Answer each question as `choose` says until `done(lines said since)` holds; the lines."""
    start = device.mark()
    for _ in range(limit):
        device.assistant.wait_for(lambda: done(device.spoken(since=start)) or device.listening(),
                                  STEP_S, f"a question or the end in {device.session_id!r}", device)
        if done(device.spoken(since=start)):
            return device.spoken(since=start)
        device.answer(choose)
    raise AssertionError(f"not done after {limit} answers: {device.spoken(since=start)}")


def _said(part: str) -> Callable[[list[str]], bool]:
    return lambda lines: any(part.lower() in line.lower() for line in lines)


def _emergency_advice(device: Device, start: str) -> list[str]:
    """Say `start`, answer yes to the warning signs; the lines said from the emergency advice on
    (its last line, "Once more: call ...", included), once nothing more has been said."""
    since = device.mark()
    device.say(start)
    _answer_until(device, _chest_pain, _said("Once more: call"))
    device.wait_quiet(QUIET_S)
    lines = device.spoken(since=since)
    first = next(n for n, line in enumerate(lines) if "needs help now" in line or "Once more" in line)
    return lines[first:]


# -------------------------------------------------------------------- tests
def test_ovos_core_loads_the_skill_at_start_on_a_device_without_network(assistant):
    since = assistant.count()
    assistant.send("skillmanager.list", {}, {"source": "tests", "destination": ["skills"]})
    assistant.wait_for(lambda: "mycroft.skills.list" in assistant.types(since), STEP_S,
                       "the skill manager's list")
    (listed,) = [m.data for m in assistant.messages(since) if m.type == "mycroft.skills.list"][:1]
    assert listed.get(SKILL_ID, {}).get("active"), listed


def test_a_clear_check_goes_into_the_neck_routine_which_pauses_resumes_and_stops(assistant):
    device = assistant.device()
    device.say("check my neck pain")
    lines = _answer_until(device, _clear, _said("Neck routine."))  # its first line: it has begun
    said = " ".join(lines)
    assert "not a diagnosis" in said and "Shall I guide you through" in said, lines
    device.say("pause")
    device.wait_said("Paused.")
    device.say("resume")
    device.wait_said("Resuming")
    device.say("stop")
    device.wait_said("Stopping")


def test_a_yes_to_chest_pain_ends_in_a_call_to_911_and_nothing_after_offers_stretches(assistant):
    device = assistant.device()
    advice = _emergency_advice(device, "my upper back hurts")
    assert any("call 9 1 1" in line.lower() for line in advice), advice
    offers = [line for line in advice if "guide you through" in line.lower() or line.endswith("?")]
    assert not offers, advice
    assert not device.listening(), f"a question after the emergency advice: {advice}"


def test_a_british_satellite_of_an_american_device_is_told_to_call_999(assistant):
    study = assistant.satellite("sat-study", lang="en-GB")
    advice = _emergency_advice(study, "my neck hurts")
    numbers = [line for line in advice if "call" in line.lower()]
    assert any("9 9 9" in line for line in numbers), numbers


def test_a_second_satellite_is_told_to_wait_and_its_words_never_reach_the_first_ones_check(
        assistant):
    kitchen, bedroom = assistant.satellite("sat-kitchen"), assistant.satellite("sat-bedroom")
    kitchen.say("check my neck pain")
    kitchen.answer(_clear)  # the age
    question = kitchen.wait_listening()
    assert "where is the pain" in question.lower(), question
    asked = kitchen.spoken()

    bedroom.say("check my neck pain")
    busy = bedroom.wait_said("already helping someone")
    assert kitchen.spoken() == asked and kitchen.listening(), (busy, kitchen.spoken())

    bedroom.say("no")  # while the kitchen's question waits
    kitchen.wait_quiet(QUIET_S)
    assert kitchen.spoken() == asked and kitchen.listening(), \
        f"the bedroom's 'no' reached the kitchen's check: {kitchen.spoken()}"

    bedroom.say("stop")
    kitchen.wait_quiet(QUIET_S)
    assert kitchen.spoken() == asked and kitchen.listening(), \
        f"the bedroom's 'stop' reached the kitchen's check: {kitchen.spoken()}"

    kitchen.say("my neck")
    next_question = kitchen.wait_listening()
    assert not any("understand" in line.lower() for line in kitchen.spoken()), kitchen.spoken()
    assert next_question.endswith("?") and "where is the pain" not in next_question.lower(), \
        kitchen.spoken()


def test_the_assistants_global_stop_ends_a_waiting_check_and_a_new_check_can_begin(assistant):
    device = assistant.device()
    device.say("check my neck pain")
    assert "how old" in device.wait_listening().lower()
    device.send("mycroft.stop")  # a stop button, "stop" with no skill active, the GUI
    device.wait_said("Stopping")
    device.wait_quiet(QUIET_S)
    device.say("check my neck pain")
    assert "how old" in device.wait_listening().lower(), device.spoken()


def test_nothing_backcare_does_tries_the_network(ovos):
    """Every attempt is refused and logged with its callers; OpenVoiceOS's own connectivity
    check may try (it is refused), the skill's code never."""
    ours = str(ROOT / "voice")
    by_backcare = [line for line in ovos.network_attempts() if ours in line]
    assert not by_backcare, by_backcare
    print("\nnetwork attempts refused (OpenVoiceOS's own):")
    for line in ovos.network_attempts():
        attempt, _, callers = line.partition("\tfrom ")
        print(f"  {attempt} from {[c for c in callers.split(' < ') if '/ovos' in c][-2:]}")


def test_the_time_from_words_said_to_the_first_line_back(ovos):
    """Measured and shown (pytest -s), not held to a limit: an answer's p95 sits near 0.55 s
    and its maximum near 0.6 s, set by OpenVoiceOS's own 0.5 s converse wait for the stop
    service after any "stop" (too close to a 600 ms limit to assert on a busy CI machine)."""
    summary = ovos.latency_summary()
    print(f"\n{summary}")
    answers = [seconds * 1000 for said, seconds in ovos.latencies() if said.answer]
    assert len(answers) >= 10, summary
    assert statistics.median(answers) < 2000, summary  # a line back, not a timeout
