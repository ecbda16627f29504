"""Reusable widgets: the elapsed clock, the input level meter, the marked transcript, the story timeline, the voice panel."""

from mock_interview.tui.widgets.clock import ElapsedClock
from mock_interview.tui.widgets.level import LevelMeter
from mock_interview.tui.widgets.timeline import StoryTimeline
from mock_interview.tui.widgets.transcript import MarkedTranscript
from mock_interview.tui.widgets.voice import VoicePanel

__all__ = ["ElapsedClock", "LevelMeter", "MarkedTranscript", "StoryTimeline", "VoicePanel"]
