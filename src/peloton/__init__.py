"""peloton: the Dutch innovation-support system for businesses, executable."""

__version__ = "0.1.0"
