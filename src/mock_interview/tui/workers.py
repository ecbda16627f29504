"""One place where a failed worker becomes a line the user can read."""

from __future__ import annotations

from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState

from mock_interview.core.errors import UserError
from mock_interview.tui.messages import WorkFailed


def failure_text(worker: Worker) -> str:
    """A UserError says itself; anything else is a bug, named with what was being done."""
    error = worker.error
    if isinstance(error, UserError):
        return str(error)
    what = worker.description or worker.name or "background work"
    return f"{what} failed: {error.__class__.__name__}: {error}"


class ReportsWorkerFailures(MessagePump):
    """Mixed into the app and the screens: worker errors become a :class:`WorkFailed` message.

    The message goes to the node that owns the worker (its screen, which may react to
    it) and bubbles on to the app, which shows it.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.log.error(f"worker {event.worker.name!r} failed", event.worker.error)
            self.post_message(WorkFailed(event.worker.group, failure_text(event.worker)))
