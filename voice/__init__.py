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
    person/            the port's three sides: text, scripted (previews, tests), voice

Around them: `content` loads and checks everything in dialogs/*.yaml (`schema`,
`yamlsource` give errors with file and line); `preferences` is the one owner of the
user's rate, voice, volume, earcons and time limit; `session` wires a spoken session;
`cli` is the command line; `models` finds and downloads recogniser models; `evaluate`
measures recognition on recordings; `clock` and `transcript` are shared by all.

Where to add things:
- a red flag: dialogs/triage.yaml (`flags:`, and an item in one list state), and
  dialogs/prescreen.yaml if it can start during exercise. No code.
- an exercise: dialogs/exercises.yaml, and a routine in dialogs/routines.yaml. No code.
- a recogniser engine: understanding/<name>_engine.py implementing `base.Recognizer`,
  one branch in understanding/engines.py, its model in models/catalog.yaml, and its
  rejection threshold in models/<name>_rejection.yaml, tuned by cross-validation on
  the real recordings (bench/tune_rejection.py).
- a language: a copy of every dialogs/*.yaml in that language, understanding/numbers.py
  for its number words, a recogniser model for it, and a speech voice (preferences).
"""

__version__ = "0.1.0"
