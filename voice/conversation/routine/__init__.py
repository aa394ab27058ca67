"""Guided stretches: exercises and routines from `dialogs/` (`book`), the timed cues of one
exercise (`timeline`), the check before a routine (`gate`), and the player that runs it with
the person (`player`)."""
