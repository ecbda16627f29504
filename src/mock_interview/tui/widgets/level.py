"""A one-line input level meter."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class LevelMeter(Widget):
    """Shows ``level`` (0.0 silence to 1.0 full scale) as a bar; loud input turns the bar's end hot."""

    COMPONENT_CLASSES = {"level-meter--bar", "level-meter--hot", "level-meter--empty"}

    DEFAULT_CSS = """
    LevelMeter {
        height: 1;
        width: 1fr;
    }
    LevelMeter > .level-meter--bar { color: $success; }
    LevelMeter > .level-meter--hot { color: $error; }
    LevelMeter > .level-meter--empty { color: $panel-lighten-2; }
    """

    HOT = 0.8
    level: reactive[float] = reactive(0.0)

    def render(self) -> Text:
        width = max(1, self.content_size.width)
        level = min(1.0, max(0.0, self.level))
        filled = round(level * width)
        calm = min(filled, round(self.HOT * width))
        text = Text(no_wrap=True, overflow="crop")
        text.append("█" * calm, style=self.get_component_rich_style("level-meter--bar"))
        text.append("█" * (filled - calm), style=self.get_component_rich_style("level-meter--hot"))
        text.append("░" * (width - filled), style=self.get_component_rich_style("level-meter--empty"))
        return text
