"""One session, wired: how it is held (`mode`, `screen_reader`), what follows what for any person
(`flow`), and the spoken session's devices, recogniser and voice (`spoken`)."""
