"""The pain journal: the SQLite store (`store`), the recorder that keeps it from the session's
events as they happen (`recorder`), and what it says to a person coming back (`history`)."""
