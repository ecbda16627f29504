"""Reusable widgets: the elapsed clock, the input level meter, the marked transcript, the story timeline."""

from mock_interview.tui.widgets.clock import ElapsedClock
from mock_interview.tui.widgets.level import LevelMeter
from mock_interview.tui.widgets.timeline import StoryTimeline
from mock_interview.tui.widgets.transcript import MarkedTranscript

__all__ = ["ElapsedClock", "LevelMeter", "MarkedTranscript", "StoryTimeline"]
