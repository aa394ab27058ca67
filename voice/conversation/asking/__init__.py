"""One question asked and answered, for the dialogs and the player alike: the ask step (`ask`),
its rules from `dialogs/asking.yaml` (`rules`), and the settings a person changes by saying so
mid-question (`adjusting`)."""
