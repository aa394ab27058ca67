"""What the tests and the benchmarks both stand on, outside the product: virtual audio
devices (PulseAudio null sinks), synthetic speech (flite, espeak-ng), CPU load, a room that
echoes, whole spoken sessions driven by voice, scripted people, and a network that refuses.

`bench/` and `tests/` import it; it imports only `voice`."""
