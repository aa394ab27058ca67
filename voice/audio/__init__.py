"""Audio in and out: sources of 16 kHz mono blocks, the output stream, earcons, devices,
and the device watch that gets a lost device back."""
