"""A report's transcript with fillers highlighted and long pauses marked in place."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from mock_interview.core.delivery.analysis import Analysis
from mock_interview.tui.format import marked_transcript


class MarkedTranscript(Static):
    """The styles of fillers and pauses come from the component classes, so CSS can change them."""

    COMPONENT_CLASSES = {"transcript--filler", "transcript--pause"}

    DEFAULT_CSS = """
    MarkedTranscript > .transcript--filler {
        background: $warning 35%;
        text-style: bold;
    }
    MarkedTranscript > .transcript--pause {
        color: $accent;
        text-style: italic;
    }
    """

    def __init__(self, analysis: Analysis, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.analysis = analysis

    def on_mount(self) -> None:
        self.update(self.marked())

    def marked(self) -> Text:
        if not self.analysis.words:
            return Text("(no speech heard)")
        return marked_transcript(
            self.analysis,
            filler=self.get_component_rich_style("transcript--filler"),
            pause=self.get_component_rich_style("transcript--pause"),
        )
