"""Speech model files: the catalog of models and voices, where an installed one is found, and the
one command that downloads (the only network access the assistant has)."""
