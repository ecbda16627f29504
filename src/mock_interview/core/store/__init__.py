"""The user's files: takes and their audio, settings, banks on disk, recovery, exports.

Used by the session, the commands and the app; never by the judge.
"""
