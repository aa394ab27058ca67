"""One module per command, each with `run(content, args) -> int` (`run(args)` for those that
need no dialog content: `app.COMMANDS` says which): it makes the person (typed, spoken or
simulated) and hands it to the session flow; errors are raised, not printed
(`voice.cli.errors`)."""
