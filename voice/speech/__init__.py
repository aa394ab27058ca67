"""Meaning to sound: text rendered to speech at the user's preferences, and the speaker that
plays lines, timed cues and earcons."""
