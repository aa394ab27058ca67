"""One question asked and answered, for the dialogs and the player alike.

The step that asks (`ask`) and what goes in and out of it (`prompt`), the words it says
(`texts`) and how it says them (`lines`); what may be said instead of an answer: commands such
as help and slower (`commands`, with the settings in `adjusting`), stop and a routine's symptoms
(`interrupts`), wait and go back (`asides`, their numbers from `dialogs/asking.yaml` in
`rules`); and what an answer is taken to mean: read by the red-flag rule (`answering`), said
back before it counts (`readback`), a number corrected (`corrections`), a slip for "no"
(`slips`).  Import from the module that holds a name: this package re-exports nothing.
"""
