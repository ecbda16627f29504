"""Nothing leaves the machine: dependencies' telemetry off before any of them loads.

:func:`quiet_dependencies` runs when the package is first imported (``mock_interview``'s
``__init__``), so every entry point (the app, each command, the benchmarks, and any
process they start, which inherits the environment) has it set before onnxruntime,
faster-whisper, CTranslate2 or huggingface_hub is imported. A value the user set
is kept.

What each dependency would otherwise do (the README's "Privacy" says the same):

- onnxruntime (loaded by faster-whisper's Silero VAD and by Piper): its Linux wheels
  since 1.2x carry Microsoft's 1DS telemetry, on by default. It writes a persistent
  device id and a queue of events under ``~/.cache/Microsoft/DeveloperTools/.onnxruntime``
  and uploads the queue when a network is reachable. ``ORT_DISABLE_TELEMETRY=1``,
  read once when the library initialises, switches it off (calling
  ``onnxruntime.disable_telemetry_events()`` after import is too late). Files that
  earlier versions let it leave are listed by ``mock-interview doctor``
  (:func:`mock_interview.core.store.doctor.check_telemetry_leftovers`).
- huggingface_hub (imported by faster-whisper): sends usage pings from some libraries
  and keeps its cache and token under ``~/.cache/huggingface``. The app never
  downloads unless the user passes ``--allow-download``; then the model goes into the
  app's own cache folder (``HF_HOME``), and ``HF_HUB_DISABLE_TELEMETRY=1`` stops the pings.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

TELEMETRY_OFF = {
    "ORT_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
}


def quiet_dependencies(environ: MutableMapping[str, str] = os.environ) -> None:
    """Switch dependencies' telemetry off and keep their caches in the app's folder."""
    for name, value in TELEMETRY_OFF.items():
        environ.setdefault(name, value)
    if "HF_HOME" not in environ:
        from mock_interview.core.store.locations import cache_dir

        environ["HF_HOME"] = str(cache_dir() / "huggingface")

