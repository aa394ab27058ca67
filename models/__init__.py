"""The speech-model catalog and the fitted rejection model, shipped as package data."""
