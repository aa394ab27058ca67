"""Dialog content (YAML), shipped inside the installed package as `voice.dialogs`."""
