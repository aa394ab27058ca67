"""Issue 29, everything by voice: the journal told back from the voice menu ("my history"),
a summary that says when the last session was and what it concluded, `backcare history`
spoken without a recogniser, and "louder", "quieter", "tones off", "tones on" changing the
person's saved settings and said back in one short line."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta, timezone

import pytest
from support.content import shipped_content

from harness.people import ScriptedPerson
from voice.clock import VirtualClock
from voice.conversation.asking.adjusting import REPLY_KEYS, SETTING_INTENTS, adjust
from voice.conversation.routine.player import Player
from voice.conversation.routine.timeline import estimate_speech_s
from voice.conversation.settings import Settings
from voice.events.transcript import Transcript
from voice.journal.history import spoken_summary, summarise, tier_labels, told_back
from voice.journal.store import SessionEntry
from voice.person.scripted import ScriptedPerson as Scripted
from voice.preferences import VOLUME_MAX, VOLUME_MIN, Preferences, PreferenceStore
from voice.session.flow import Flow

CONTENT = shipped_content()
BOOK = CONTENT.book
NOW = datetime(2026, 11, 30, 12, tzinfo=timezone.utc)
TEXTS = {key: str(value) for key, value in CONTENT.session.texts.items()}
NAMES = {r.id: r.name for r in BOOK.routines.values()}


def entry(days_ago: float, outcome: str | None = "self_care", routine: str | None = None,
          end: str = "completed", before: int | None = None, after: int | None = None
          ) -> SessionEntry:
    return SessionEntry(0, NOW - timedelta(days=days_ago), None, True, end, outcome, (),
                        before, after, routine, "voice")


def told(*sessions: SessionEntry) -> list[str]:
    return spoken_summary(summarise(list(sessions), NOW), TEXTS, tier_labels(CONTENT), NAMES,
                          CONTENT.journal_words)


# ------------------------------------------------------------------- the summary
def test_one_clear_session_says_its_day_that_the_check_was_clear_and_the_routine_finished():
    lines = told(entry(2, routine="neck"))
    assert any("last session was on Saturday 28 November" in line
               and "no warning signs" in line for line in lines), lines
    assert any("to the end" in line and "Neck routine" in line for line in lines), lines
    assert not any("used most" in line or "once" in line for line in lines), lines


def test_a_last_session_that_was_a_referral_says_the_advice_once():
    lines = told(entry(5, "urgent"), entry(1, "urgent", end="stop"))
    said = [line for line in lines if "see a doctor today" in line]
    assert len(said) == 2, lines  # the last session's, and the earlier one's referral
    assert "last session was on Sunday 29 November" in said[0]
    assert said[1].startswith("On Wednesday 25 November")


def test_a_routine_stopped_part_way_is_said_so_and_one_used_twice_is_the_one_used_most():
    lines = told(entry(3, routine="desk_break"), entry(2, routine="desk_break"),
                 entry(1, None, routine="neck", end="hurts"))
    assert "Your last session was on Sunday 29 November." in lines
    assert any("before the end" in line and "Neck routine" in line for line in lines), lines
    assert any("used most is Desk break, 2 times" in line for line in lines), lines


def test_every_history_line_has_its_wording_in_the_session_texts():
    for key in ("history_empty", "history_counts", "history_pain", "history_routine",
                "history_referral", "history_last", "history_last_advice", "history_last_clear",
                "history_last_routine", "history_last_routine_stopped"):
        assert TEXTS.get(key), key


# -------------------------------------------------------------- from the menu
def _session(answers: dict, earlier: list[SessionEntry]) -> tuple[ScriptedPerson, Transcript]:
    person = ScriptedPerson(answers=answers)
    transcript = Transcript(person.clock)
    Flow.for_person(CONTENT, person, person.clock, transcript, settings=Settings(), earlier=earlier,
                    wall_clock=lambda: NOW).session()
    return person, transcript


@pytest.mark.parametrize("words", ["my history", "what did you tell me last time",
                                   "how have I been"])
def test_the_history_asked_for_in_the_voice_menu_is_told_back_then_the_menu_asked_again(words):
    earlier = [entry(4, "soon", routine="neck"), entry(1, routine="desk_break")]
    person, _ = _session({"menu": [words, "stop"]}, earlier)
    lines = told_back(CONTENT, summarise(earlier, NOW))
    start = person.said.index(lines[0])
    assert person.said[start:start + len(lines)] == lines
    assert person.asked.count("menu") == 2


def test_the_history_from_the_menu_with_no_journal_says_there_is_none():
    person, _ = _session({"menu": ["my history", "stop"]}, [])
    assert TEXTS["history_empty"] in person.said


# ----------------------------------------------------------- volume and tones
def test_louder_and_quieter_step_the_volume_and_stop_at_its_limits():
    store = PreferenceStore()
    assert adjust(store, "louder", TEXTS) == TEXTS["loudest"]
    assert store.now.volume == VOLUME_MAX and not store.changed
    said = [adjust(store, "quieter", TEXTS) for _ in range(8)]
    assert said[0] == TEXTS["quieter"] and said[-1] == TEXTS["quietest"]
    assert store.now.volume == VOLUME_MIN
    steps_down = said.index(TEXTS["quietest"])
    for _ in range(steps_down):
        assert adjust(store, "louder", TEXTS) == TEXTS["louder"]
    assert store.now.volume == VOLUME_MAX  # as many steps up as down is where it began


def test_volume_and_tones_changed_by_voice_are_what_the_session_saves():
    store = PreferenceStore(Preferences(rate_wpm=200))
    adjust(store, "quieter", TEXTS)
    assert adjust(store, "tones_off", TEXTS) == TEXTS["tones_off"]
    saved = store.to_save(Preferences(rate_wpm=150))
    assert saved is not None and saved.earcons is False and saved.volume < 1
    assert saved.rate_wpm == 150  # not changed by voice: the saved one is kept
    assert adjust(store, "tones_on", TEXTS) == TEXTS["tones_on"] and store.now.earcons


def test_every_place_that_hears_a_setting_has_its_words_and_knows_the_intents():
    for texts in (CONTENT.session.texts, BOOK.replies):
        assert all(texts.get(key) for key in REPLY_KEYS)
    for intent in SETTING_INTENTS:
        assert intent in CONTENT.intents.context_intents("player")
    for words, intent in (("louder please", "louder"), ("turn it down", "quieter"),
                          ("no beeps", "tones_off"), ("tones on", "tones_on"),
                          ("be quiet", "stop")):
        assert CONTENT.intents.match(words, "player").intent == intent, words


def _play(commands, preferences: PreferenceStore):
    person = Scripted(VirtualClock(), commands, preferences=preferences)
    transcript = Transcript(person.clock)
    player = Player(BOOK, BOOK.routines["neck"], CONTENT.intents, person, person.clock,
                    lambda w: (lambda text: estimate_speech_s(text, w)), Settings(), transcript,
                    ask_pain=False)
    return player.run(), person, transcript


def test_quieter_and_tones_off_during_a_routine_are_said_back_and_holds_keep_their_time():
    preferences = PreferenceStore()
    result, person, transcript = _play([(10, "quieter"), (40, "tones off")], preferences)
    assert result.completed
    assert BOOK.replies["quieter"] in person.said and BOOK.replies["tones_off"] in person.said
    assert preferences.now.volume < 1 and preferences.now.earcons is False
    assert preferences.changed == {"volume", "earcons"}
    starts: dict = {}
    holds = 0
    for event in transcript.events:
        key = (event.get("exercise"), event.get("side"), event.get("rep"))
        if event["event"] == "cue" and event["kind"] == "start":
            starts[key] = event["t"]
        elif event["event"] == "cue" and event["kind"] == "end" and key in starts:
            assert event["t"] - starts.pop(key) >= BOOK.exercises[key[0]].hold_s - 1e-6
            holds += 1
    assert holds >= 3


def test_tones_off_silences_the_speakers_tones_and_quieter_lowers_its_speech():
    np = pytest.importorskip("numpy")
    from voice.speech.speaker import Speaker

    class Pieces:
        def pieces(self, text, wpm, voice):
            from voice.speech.tts import Speech
            yield Speech(np.full(160, 10000, np.int16), text)

    preferences = PreferenceStore()
    speaker = Speaker(Pieces(), playback=None, preferences=preferences)  # type: ignore[arg-type]
    loud = speaker.speech("hello")
    adjust(preferences, "quieter", TEXTS)
    assert 0 < int(speaker.speech("hello").max()) < int(loud.max())
    assert speaker.earcon_samples("listening") is not None
    adjust(preferences, "tones_off", TEXTS)
    assert speaker.earcon_samples("listening") is None


# ------------------------------------------------------- backcare history, spoken
def test_backcare_history_spoken_opens_the_speakers_only_and_delete_opens_the_microphone(
        monkeypatch, tmp_path):
    from voice.cli.commands import history
    from voice.session import spoken as session
    from voice.session.errors import NoSound

    opened: list[bool] = []

    def open_voice(content, options, clock, transcript):
        opened.append(options.speak)
        raise NoSound("No speakers found; continuing in text.")  # no devices here: told in text

    monkeypatch.setattr(session, "open_voice", open_voice)
    args = argparse.Namespace(data_dir=str(tmp_path), json=False, export=None, text=False,
                              delete=False)
    assert history.run(CONTENT, args) == 0
    monkeypatch.setattr("sys.stdin", open("/dev/null"))
    assert history.run(CONTENT, argparse.Namespace(**{**vars(args), "delete": True})) == 0
    assert opened == [True, False]  # told back: speakers only; delete asks, by voice
