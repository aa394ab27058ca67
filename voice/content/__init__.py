"""Reading content files: YAML that remembers its lines (`yamlsource`), typed fields with errors
that name file, line and field (`schema`), the braces code fills (`placeholders`), what differs by
country (`locales`), and every folder the assistant reads or writes (`paths`).

The loaders of each kind of content live with the code that uses it (`conversation.dialog.load`,
`conversation.routine.book`, `understanding.intents`); `conversation.content` loads them together.
"""
