"""What the answer said against what an interviewer listens for: question banks, rubric,
story phases, the user's stories, follow-ups, the mock interview's summary.

Uses speech and delivery; never the store (the user's files) nor the UI.

The judge's public surface, for the rest of the judge and the app:

- :func:`judge` and :class:`PointResult` (``status``: covered, partly, missed): the rubric;
- :func:`says`: whether a text says one of a point's phrasings;
- :func:`content_stems`: the meaningful word stems of a text;
- :func:`story_phases`: the story phases heard in some sentences (the story judge);
"""

from __future__ import annotations

from typing import Sequence

from mock_interview.core.judge.rubric import PointResult, content_stems, judge
from mock_interview.core.judge.rubric import phrase_in as says
from mock_interview.core.judge.structure import PHASES

__all__ = ["PHASES", "PointResult", "content_stems", "judge", "says", "story_phases"]


def story_phases(sentences: Sequence, asked_for: str | None = None) -> list[str]:
    """The story phases (in :data:`PHASES` order) that the story judge hears in ``sentences``
    (anything with a ``text``), each taken as a sentence of its own; ``asked_for`` is the
    phase a follow-up asked about ("result"), likelier in its reply."""
    from mock_interview.core.judge import phases

    heard = set(phases.load().heard([s.text for s in sentences], asked_for))
    return [p for p in PHASES if p in heard]
