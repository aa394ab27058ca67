"""The intent matcher, split the way hassil splits its own: the model of an intents.yaml
(`model`), matching an utterance in one context (`match`), reading and checking the file
(`load`), and saying what can be said (`help`).  Import from the module that holds a name:
this package re-exports nothing, so each name has one home."""
