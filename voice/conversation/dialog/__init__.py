"""The dialogs defined in `dialogs/*.yaml`, and the engine that runs one with a person.

The data model is `spec`, read by `load` (with the field readers of `load_fields`, the flags of
`load_flags` and the states of `load_states`) and proved safe at load by `safety`. A run is
`engine`'s state machine; it asks the warning signs through `red_flags`, which records what
is found in the `ledger`; `questions` says how an answer to a flag is read, `advice` what is
said at the end, `going_back` what "go back" does, `numbers_said_back` when a number heard
is said back to be corrected, and `wording` how content text becomes spoken lines.

Safety lives in these as mechanism, not as triage-specific code:
- a red flag answered yes, or left unclear after it was asked once more in other words,
  counts; the outcome speaks the most urgent tier found (`ledger`, `advice`);
- an answer is read by the one ask step (`asking.ask`): on a red-flag question an answer that
  carries content ("no, but I feel sick", "not at the moment") is never a firm no, and a
  symptom a person volunteers is asked about, first in its own list, or at once when its list
  has passed (`red_flags`);
- an "any of these?" list answered yes, not sure, or not understood opens its single
  questions, so the advice names the flag; a yes that no single question confirms asks
  "which one was it?" once, then counts as a sign (`red_flags`);
- a list answered "no" is checked once (`check`), phrased so that a habitual "no" means
  "none of those", and a yes there asks the single questions (`red_flags`);
- once a flag is found, only questions that could find something more urgent are asked, and
  the most urgent tier ends the questions at once (`ledger.askable`);
- "unsure", "not really" and not-understood never count as "no"; silence alone on a red-flag
  question stops the check with advice to get help today;
- a state that `requires_clear` (reassurance) is never entered with any flag, one that
  `requires_safe` (self-care, stretches) never with a flag of a tier that blocks exercise or
  a flag that allows none (proved by `safety`, locked again by `engine`);
- every ending speaks the safety net that fits the outcome, and a flagged outcome repeats
  what to do as its last words (`advice`);
- "go back" (or "undo") asks the last question answered again, and "I meant yes" (or, to an
  ordinary question, "I meant no") changes its answer: the answers before it are given
  again, silently, to a fresh ledger, so nothing found from the answer taken back survives
  it. A yes to a warning sign is never taken back, nor anything once advice has been given
  (`going_back`).
"""
