"""What is measured from the audio and the timed words: fillers, pauses, pace.

Uses :mod:`mock_interview.core.speech`; never the judge or the store.
"""
