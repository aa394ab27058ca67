"""The pain journal: the SQLite store (`store`), the recorder that keeps it from the session's
events as they happen (`recorder`), and what it says to a person coming back (`history`, in
the content's words for counts and days: `conversation.counts_and_dates`)."""
