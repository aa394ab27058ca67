"""backcare: an offline voice assistant for neck and upper-back pain."""

__version__ = "0.1.0"
