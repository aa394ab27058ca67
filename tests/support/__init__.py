"""What the tests and the benchmarks share: a scripted person, test speech made with flite
and espeak-ng, a private PulseAudio daemon, and a spoken session driven by voice.

Tests import `support.<module>` (pytest puts tests/ on the path); the benchmarks run as
modules from the project root (`python -m bench.triage_length`) and import
`tests.support.<module>`, so nothing edits `sys.path`.
"""
