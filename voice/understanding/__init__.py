"""Sound to meaning: the endpointer, the one listening loop, recognisers behind one small
interface (`base.Recognizer`), and the intent matcher that turns words into answers."""
