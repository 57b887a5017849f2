"""marsad: a news monitor for Morocco–France security cooperation."""

__version__ = "0.1.0"
