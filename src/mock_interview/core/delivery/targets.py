"""Targets a good delivery aims for; the report, compare and progress views measure against them."""

from __future__ import annotations

PACE_TARGET_WPM = (120.0, 160.0)
"""A pace an interviewer can follow without it dragging: words per minute, low and high."""
FILLERS_TARGET_PER_MIN = 3.0
"""Fewer fillers a minute than this go unnoticed."""
