"""What an answer says about the question it answers: present, absent, possible, and when.

People answer in sentences, and a sentence may say several things: "no, it
was nearly two weeks ago" to "a fall in the last two weeks?" is a yes; "my
neck's stiff, but I don't have a temperature" to "a high temperature together
with a stiff neck?" is a no; "my sister has osteoporosis, not me" is a no.  So
an answer is read clause by clause (`clauses`, after ConText): each clause
says something about *this question's* condition (present, absent, possible)
or nothing, at a time (`times`) compared with the question's window.  Then:
- a yes in any clause wins over a no in another (a symptom said is never
  lost), unless a correction ("wait", "I mean") came after it;
- a hedge, a hypothetical, a time across the window's edge, or a "no" limited
  in time ("not at the moment" to a question that is not about right now) is
  possible: asked again, never a no;
- a question that joins two conditions ("a rash, and feel very unwell?")
  reads each part: one part denied is a no, one part said and the other not
  asks the other alone (`missing`);
- an answer that is not a plain yes or no, and whose clauses disagree or
  whose meaning came from a time, another person or another symptom, is
  said back before it counts (`confirm`).
Every symptom heard, of any flag, not denied and the person's own, is kept as
a mention, so a volunteered symptom is asked about even when it answers
another question.

Split the way hassil splits its own: the data (`model`: Answer, Reading,
Question...), the symptom scan (`lexicon`), the reading (`reading`: clause by clause;
`verdict`: the clauses weighed into one answer), and the words, which are content:
each flag's `yes_words` (and `except_words`) in dialogs/triage.yaml, and `answer_reading`
in dialogs/intents.yaml, read and checked by `load` into `clauses.ClauseWords` and
`times.TimeWords`, and joined with the plain answers of the yes/no intents in `rules`.
Import from the module that holds a name: this package re-exports nothing.
"""
