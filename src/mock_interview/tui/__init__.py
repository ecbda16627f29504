"""The Textual app: screens, widgets and styles over the core engine.

Everything that blocks (model load, speech, recording start and stop, transcription,
file writes) runs in thread workers that report back with the messages in
:mod:`mock_interview.tui.messages`; only message handlers touch widgets.
"""
