"""The listening contexts the code names. What each one hears is data (dialogs/intents.yaml);
these are the names the code may use, checked against that file when content loads."""

from __future__ import annotations

from enum import Enum


class Context(str, Enum):
    YES_NO = "yes_no"
    WHICH_ITEM = "which_item"  # "Which of those was it?": an item by its number
    PAIN_SCALE = "pain_scale"
    AGE = "age"
    LOCATION = "location"
    MENU = "menu"
    PLAYER = "player"  # commands during a routine
    BARGE_IN = "barge_in"  # what may interrupt the assistant's own speech

    def __str__(self) -> str:
        return self.value
