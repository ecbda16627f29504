"""Audio to timed words: decoding, voice activity, chunking and Whisper transcription.

The ways in are :func:`mock_interview.core.speech.engine.transcribe_file` for a file and
:class:`mock_interview.core.speech.live.LiveTranscription` for a live take. Nothing here
imports a later stage (delivery, judge, store).
"""
