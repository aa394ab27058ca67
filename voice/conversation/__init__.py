"""What to say next: the triage dialog and the routine player, driven by dialogs/*.yaml and
talking to the person only through `port.Person`. Nothing here touches audio."""
