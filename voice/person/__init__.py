"""The person the conversation talks to, in three forms behind one port
(`voice.conversation.port.Person`): at a keyboard (`text`), following a script
(`scripted`: previews and tests) and at a microphone and speakers (`voice`)."""
