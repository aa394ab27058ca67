"""Guided stretches: exercises and routines from `dialogs/` (`book`, with the cues said within a
hold and their moments in `moments`), the timed cues of one exercise (`timeline`), the check
before a routine (`gate`), the player that runs it with the person (`player`), its questions
about pain (`pain`), and what it came to (`result`)."""
