"""The voices' ONNX graphs with their phoneme durations as an output, so every engine
call says how long each phoneme lasts (speech/timing.py turns that into word times).

Both offline models decide each phoneme's length before they make a sample: Piper
in its `Ceil` node (frames of `hop_length` samples), hibari in its `Clip` node. Neither
model returns it, but the tensor is in the graph, so marking it as a graph output makes
onnxruntime hand it back with the audio, at no cost and with the same samples.
The changed graph is written once to the user's cache (`$XDG_CACHE_HOME/briefing/
models`, beside the segment cache), named for the model file it was made from; where
that folder cannot be written, the graph is changed in memory at every load. Nothing is
downloaded. A model without the tensor loads as it is: its words are then timed by an
estimate (timing.estimated_words).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..files import write_atomic

DURATION_OPS = {"piper": "Ceil", "hibari": "Clip"}
"""The operator whose single output is each phoneme id's length, per engine: Piper rounds
its durations up to whole frames (w_ceil), hibari clips them to the model's range."""


def models_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefing" / "models"


def duration_tensor(graph: object, op: str) -> str | None:
    """The name of the one output of the graph's only `op` node, or None if there is not exactly one."""
    names = [output for node in graph.node if node.op_type == op for output in node.output]  # type: ignore[attr-defined]
    return names[0] if len(names) == 1 else None


def timed_model(model: Path, engine: str, cache: Path | None = None) -> str | bytes:
    """What onnxruntime should load for `model` so that its phoneme durations come back as
    the last output: a path (the cached copy, or the model itself if it has no such
    tensor) or the changed graph's bytes. Needs the `onnx` package the first time."""
    model = Path(model).resolve()
    stat = model.stat()
    identity = f"{model}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()
    cached = (cache or models_cache()) / f"{model.stem}-{hashlib.sha256(identity).hexdigest()[:16]}.onnx"
    if cached.is_file():
        return str(cached)
    import onnx

    graph = onnx.load(str(model))
    tensor = duration_tensor(graph.graph, DURATION_OPS[engine])
    if tensor is None or any(output.name == tensor for output in graph.graph.output):
        return str(model)
    output = onnx.ValueInfoProto()
    output.name = tensor
    graph.graph.output.append(output)
    data = graph.SerializeToString()
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cached, data)
    except OSError:
        return data
    return str(cached)
