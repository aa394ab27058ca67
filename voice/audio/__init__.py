"""Audio in and out: sources of 16 kHz mono blocks, playback, earcons, devices."""
