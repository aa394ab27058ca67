"""What happens in a session: one small dataclass per kind of event (`catalog`) and the transcript
that writes each as a JSON line as it happens (`transcript`)."""
