"""backcare: an offline voice assistant for neck and upper-back pain.

The floor plan follows the sound, in the order it travels:

    audio/          1. audio in and out: microphone, output stream, mixer, earcons, echo
                       cancellation, device watch
    understanding/  2. sound to meaning: endpointer (vad), one listening loop (listener),
                       recogniser engines behind one interface (base, engines, *_engine),
                       words to intents (intents/: model, match, load, help), numbers,
                       answers read clause by clause (answers/), recognition measured on
                       recordings (evaluate)
    conversation/   3. what to say next, through one port to the person (port): the ask step
                       (asking/), the dialogs of dialogs/*.yaml (dialog/: spec, load, safety,
                       ledger, red_flags, engine), the routines (routine/: book, timeline,
                       moments, gate, player), and all content loaded together (content)
    speech/         4. meaning to sound: text to speech (tts) and the speaker (speaker)
    person/            the port's sides: text, scripted (previews, tests), voice, and a
                       voice assistant's (assistant)
    journal/           the pain journal: store, the recorder fed by events, history told back
    session/           one session wired: how it is held (mode), what follows what for any
                       person (flow), the spoken session's devices and voice (spoken)

    cli/               on top: the command line (parser, errors, one module per command)
    openvoiceos/       on top: the OpenVoiceOS skill (phrases, intent files, one
                       conversation at a time, the skill), the only code that imports OVOS

Under every floor, knowing nothing of them: `content/` reads content files (YAML with line
marks, typed fields whose errors name file, line and field, placeholders, what differs by
country, and `paths`, where every folder and its environment variable is read once);
`events/` are the typed events by domain and the transcript that writes them; `modelfiles/`
finds model files (its `download` is the one network access, only for the command line);
`clock` and `preferences` (the one owner of rate, voice, volume, earcons and time limit) are
the two modules at the root. tests/test_floor_plan.py keeps all of this so.

Where to add things:
- a red flag: dialogs/triage.yaml (`flags:`, and an item in one list state), and
  dialogs/prescreen.yaml if it can start during exercise; a word that differs by country
  as a `{term}` in dialogs/locales/en_US.yaml and any locale not based on it. No code.
- an exercise: dialogs/exercises.yaml, and a routine in dialogs/routines.yaml. No code.
  A routine people ask for by voice says how (`asked_for`) in its own entry, and gets its
  sentence cases in tests/intents/routines_by_name.yaml; then `python -m
  voice.openvoiceos.locale` rewrites the assistant's intent files. Nothing else.
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
- a language: a copy of every dialogs/*.yaml in that language (the help's glue is
  `wording` in intents.yaml, `list_or`/`list_and` in the dialogs, "out of" in intents.yaml's
  number slot, the words speech joins to others in `answer_reading.clitics`, side words in
  exercises.yaml, cue moments in routines.yaml, the number said back in triage.yaml),
  `language:` in assistant.yaml (number words are spelt by unicode-rbnf in that language;
  dialogs/numbers.yaml adds its own words, counts and dates), a recogniser model for it in
  models/catalog.yaml (models are chosen by the content's language), and a voice. The
  dialogs folder is still one language deep (no dialogs/<language>/ yet), and list
  punctuation ("; " and "?") is still written in conversation/dialog/wording.py.
"""

__version__ = "0.1.0"
