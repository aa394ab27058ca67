"""What differs by country comes from `dialogs/locales/`: the numbers, services and words a
person hears, chosen by --locale or the system's locale; and a new locale is files alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.cli import backcare
from support.content import shipped_content

from voice.content.locales import DEFAULT, LocaleError, available, choose, load_locale, system_locale
from voice.content.paths import dialogs_dir
from voice.content.yamlsource import ContentError
from voice.conversation.content import load_content

CLEAR_TO_CARE = "40\nneck\nno\nno\nno\nno\nno\nno\nno\nno\nno\nno\n2\nno\n"


@pytest.mark.parametrize("code", available(dialogs_dir()))
def test_every_locale_loads_with_every_term_and_passes_the_safety_proofs(code):
    content = load_content(locale=code)  # the safety proofs run as the dialogs load
    assert content.locale.code == code
    assert set(content.locale.terms) >= set(load_locale(dialogs_dir(), DEFAULT).terms)
    assert content.locale.emergency_source.strip()
    said = content.settings().fill(" ".join(line for tier in content.triage.tiers
                                            for line in tier.advice))
    assert "{" not in said


def test_the_english_speaking_countries_have_their_own_emergency_numbers():
    """Checked twice for the countries that shipped first, so a slip in one file shows; a new
    country is one file, whose number must name its source (checked as it loads)."""
    numbers = {code: load_locale(dialogs_dir(), code).emergency_number
               for code in available(dialogs_dir())}
    shipped = {"en_US": "911", "en_CA": "911", "en_GB": "999", "en_IE": "112", "en_AU": "000",
               "en_NZ": "111"}
    assert {code: numbers.get(code) for code in shipped} == shipped


def test_british_english_says_999_nhs_111_and_british_words():
    done = backcare("--locale", "en_GB", "triage", "--text",
                    stdin="40\nneck\nno\nyes\nnot sure\n")
    assert done.returncode == 0, done.stderr
    assert "call 9 9 9" in done.stdout and "9 1 1" not in done.stdout
    british = shipped_content("en_GB")
    asked = [flag.ask for flag in british.triage.flags()]
    assert "Since the pain began, have you felt sick or been sick?" in asked
    assert any("unable to pee" in ask for ask in asked)
    urgent = next(tier for tier in british.triage.tiers if tier.id == "urgent")
    assert "Call NHS 111 or your GP surgery, and tell them what you told me." in urgent.advice


def test_american_english_says_911_urgent_care_and_american_words():
    done = backcare("--locale", "en_US", "triage", "--text", stdin="40\nneck\nno\nyes\n")
    assert "call 9 1 1" in done.stdout and "9 9 9" not in done.stdout
    american = shipped_content("en_US")
    asked = [flag.ask for flag in american.triage.flags()]
    assert "Since the pain began, have you felt nauseous or thrown up?" in asked
    assert not any(" pee" in ask for ask in asked)
    urgent = next(tier for tier in american.triage.tiers if tier.id == "urgent")
    assert any("urgent care clinic" in line for line in urgent.advice)


def test_a_service_number_is_said_and_printed_digit_by_digit():
    settings = shipped_content("en_GB").settings()
    line = "Call NHS 111 or your GP surgery. If it gets worse, call {emergency_number}."
    # A screen reader reads the printed line aloud: one form for both (issue 29).
    assert settings.fill(line) == settings.fill(line, spoken=True) == (
        "Call NHS 1 1 1 or your GP surgery. If it gets worse, call 9 9 9.")
    australian = shipped_content("en_AU").settings()
    assert "1 8 0 0, 0 2 2, 2 2 2" in australian.fill(australian.numbers_to_dial[0], spoken=True)


def test_the_emergency_number_option_is_over_the_locales():
    settings = shipped_content("en_GB").settings("112")
    assert settings.emergency_number == "112"


@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANG": "en_GB.UTF-8"}, "en_GB"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "en_NZ.UTF-8"}, "en_NZ"),
    ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "en_IE"}, "en_IE"),
    ({"LANG": "C.UTF-8"}, None),
    ({}, None),
])
def test_the_system_locale_is_read_as_posix_orders_the_variables(environ, expected):
    assert system_locale(environ) == expected


def test_the_locale_is_the_one_asked_for_else_the_systems_else_american():
    folder = dialogs_dir()
    assert choose("en_AU", folder, {"LANG": "en_GB.UTF-8"}) == "en_AU"
    assert choose(None, folder, {"LANG": "en_GB.UTF-8"}) == "en_GB"
    assert choose(None, folder, {"LANG": "de_DE.UTF-8"}) == DEFAULT
    assert choose(None, folder, {"LANG": "C"}) == DEFAULT
    with pytest.raises(LocaleError, match="available: en_AU, en_CA"):
        choose("en_ZZ", folder, {})


def test_the_system_locale_chooses_when_no_option_does():
    done = backcare("triage", "--text", stdin="40\nneck\nyes\n1\nyes\n",
                    env={"LANG": "en_GB.UTF-8"})
    assert "Call 9 9 9 now" in done.stdout


def test_an_unknown_locale_is_one_line_naming_those_there_are():
    done = backcare("--locale", "fr_FR", "routines")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "backcare: no locale 'fr_FR'; available: en_AU, en_CA, en_GB, en_IE, en_NZ, en_US"]


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "dialogs"
    shutil.copytree(dialogs_dir(), folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return folder


def test_a_new_locale_is_one_file_under_dialogs(tmp_path):
    """South Africa as a reader would add it: one file based on British English."""
    folder = _copy(tmp_path)
    (folder / "locales" / "en_ZA.yaml").write_text(
        'name: English (South Africa)\nbased_on: en_GB\n'
        'emergency: {number: "112", source: "a test"}\nnumbers_to_dial: []\n'
        'terms:\n  urgent_care: "your doctor or a clinic"\n', encoding="utf-8")
    content = load_content(folder, locale="en_ZA")
    urgent = next(tier for tier in content.triage.tiers if tier.id == "urgent")
    assert "Call your doctor or a clinic, and tell them what you told me." in urgent.advice
    assert content.settings().emergency_number == "112"
    done = backcare("--locale", "en_ZA", "triage", "--text", stdin="40\nneck\nyes\n1\nyes\n",
                    env={"BACKCARE_DIALOGS": str(folder)})
    assert "Call 1 1 2 now" in done.stdout, done.stderr


def test_a_locale_missing_a_term_names_its_file_and_the_term(tmp_path):
    folder = _copy(tmp_path)
    (folder / "locales" / "en_ZA.yaml").write_text(
        'name: English (South Africa)\nemergency: {number: "112", source: "a test"}\n'
        'terms:\n  urgent_care: "your doctor"\n', encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(folder, locale="en_ZA")
    assert str(caught.value).startswith(f"{folder}/locales/en_ZA.yaml:1: terms")
    assert "felt_sick" in str(caught.value)


def test_a_term_the_content_uses_but_no_locale_gives_names_file_line_and_field(tmp_path):
    folder = _copy(tmp_path)
    triage = folder / "triage.yaml"
    triage.write_text(triage.read_text(encoding="utf-8").replace(
        "{urgent_care}", "{urgent_kare}"), encoding="utf-8")
    with pytest.raises(ContentError, match=r"triage\.yaml:\d+: tiers\[\d\]\.advice.*urgent_kare"):
        load_content(folder)


def test_a_locale_cannot_be_based_on_itself(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "locales" / "en_GB.yaml"
    path.write_text("based_on: en_GB\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ContentError, match="en_GB.yaml:1: based_on"):
        load_content(folder, locale="en_GB")


def test_the_locales_voice_speaks_for_a_person_who_never_chose_one_and_is_not_saved():
    from voice.preferences import Preferences
    from voice.session.spoken import VoiceOptions, installed_locale_voice, session_preferences

    british = session_preferences(Preferences(), VoiceOptions(), "emma")
    assert british.now.voice == "emma"
    assert british.to_save(Preferences()) is None  # the locale chose it, not the person
    chosen = session_preferences(Preferences(voice="espeak"), VoiceOptions(), "emma")
    assert chosen.now.voice == "espeak"
    assert session_preferences(Preferences(), VoiceOptions(voice="kore"), "emma").now.voice == "kore"
    assert installed_locale_voice("heart") == "heart"  # bundled
    assert installed_locale_voice(None) is None


def test_a_locales_voice_that_is_not_downloaded_falls_back_to_the_default(monkeypatch, tmp_path):
    from voice.session.spoken import installed_locale_voice

    monkeypatch.setenv("BACKCARE_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)  # nor in ./models
    assert installed_locale_voice("emma") is None
