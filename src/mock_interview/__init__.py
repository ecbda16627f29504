"""mock-interview: a voice-based mock interviewer that runs in the terminal."""

__version__ = "0.1.0"
