"""backcare as an OpenVoiceOS skill (`pip install 'backcare[ovos]'`): the fourth side of the
conversation's port, beside text, script and our own voice.

`phrases` reads what people say to the assistant (dialogs/assistant.yaml), `locale` writes the
skill's intent files from it, `talk` runs one conversation through an assistant's voice
(no OpenVoiceOS import, so it is tested without one), and `skill` is the OpenVoiceOS glue
found by the assistant's skill loader under the `opm.skill` entry point.  Like the
command line, this is a top floor: nothing else in the package imports it.
"""

# The entry point's name, which the assistant uses as the skill's id (`<name>.<author>`; not
# `.openvoiceos`, the mark of OVOS's own skills).
SKILL_ID = "skill-backcare.backcare"
