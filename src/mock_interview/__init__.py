"""mock-interview: a voice-based mock interviewer that runs in the terminal."""

from mock_interview.privacy import quiet_dependencies

__version__ = "0.1.0"

# Before anything else of the package (and so before any dependency) is imported:
# telemetry of onnxruntime and huggingface_hub off, their caches in the app's folder.
quiet_dependencies()
