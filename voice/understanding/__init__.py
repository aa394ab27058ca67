"""Sound to meaning: the endpointer, the one listening loop, recognisers behind one small
interface (`base.Recognizer`), and the intent matcher that turns words into answers."""

# The recognisers one can ask for (`--engine`); here, so that the command line can list them
# without loading any (engines.py makes them).
ENGINES = ("auto", "whisper", "vosk", "pocketsphinx")
