"""Speech recognition behind one small interface (see `base.py`)."""
