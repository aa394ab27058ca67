"""backcare: an offline voice assistant for neck and upper-back pain.

The floor plan follows the sound, in the order it travels:

    audio/          1. audio in and out: microphone, output stream, earcons, device watch
    understanding/  2. sound to meaning: endpointer (vad), one listening loop (listener),
                       recogniser engines behind one interface (base, engines, *_engine),
                       words to intents and numbers (intents, numbers, grammar)
    conversation/   3. what to say next: the triage dialog (dialog, dialogspec), the routine
                       player (player, routines, timeline), the named listening contexts,
                       and the port they talk to the person through (port)
    speech/         4. meaning to sound: text to speech (tts) and the speaker (speaker)
    person/            the port's sides: text, scripted (previews, tests), voice, and a
                       voice assistant's (assistant)

    cli/               on top: the command line (parser, errors, one module per command)
    openvoiceos/       on top: the OpenVoiceOS skill (phrases, intent files, one
                       conversation at a time, the skill), the only code that imports OVOS

Around them: `content` loads and checks everything in dialogs/*.yaml in one locale
(`locales` reads dialogs/locales/; `schema` and `yamlsource` give errors with file and
line); `flow` decides what follows what in a session for any person (menu, symptom
check, the check before a routine, the gate, the routine, the journal told back);
`preferences` is the one owner of the user's rate, voice, volume, earcons and time
limit; `session` opens the devices and makes the voice person; `models` finds and
downloads recogniser models and voices; `evaluate` measures recognition on recordings;
`events` are the typed events `transcript` writes; `clock` and `transcript` are shared
by all.

Where to add things:
- a red flag: dialogs/triage.yaml (`flags:`, and an item in one list state), and
  dialogs/prescreen.yaml if it can start during exercise; a word that differs by country
  as a `{term}` in dialogs/locales/en_US.yaml and any locale not based on it. No code.
- an exercise: dialogs/exercises.yaml, and a routine in dialogs/routines.yaml. No code.
- a recogniser engine: understanding/<name>_engine.py implementing `base.Recognizer`
  (handing on its match in `Recognition.match` if it matches to decide), one branch in
  understanding/engines.py, its model in models/catalog.yaml, and its rejection
  threshold in models/<name>_rejection.yaml, tuned by cross-validation on the real
  recordings (bench/tune_rejection.py).
- a voice: an entry in models/catalog.yaml (engine, voice, url, sha256); a voice of
  another engine, speech/<name>_engine.py implementing `tts.Engine` and a branch in
  speech/tts.py `make_renderer`.
- a country: dialogs/locales/<ll_CC>.yaml (`based_on` the nearest, its emergency number
  with its source, other numbers to dial, the terms it words otherwise, its voice).
  Nothing else.
- a phrase to say to a voice assistant: dialogs/assistant.yaml, then
  `python -m voice.openvoiceos.locale` to write the skill's intent files.
- a language: a copy of every dialogs/*.yaml in that language (its help's glue is
  `wording` in intents.yaml and `list_or` in the dialogs), understanding/numbers.py for
  its number words, a recogniser model for it, and a voice.
"""

__version__ = "0.1.0"
