"""The voices' ONNX graphs with their phoneme durations as an output, so every engine
call says how long each phoneme lasts (speech/timing.py turns that into word times).

Both offline models decide each phoneme's length before they make a sample: Piper
in its `Ceil` node (frames of `hop_length` samples), hibari in its `Clip` node. Neither
model returns it, but the tensor is in the graph, so marking it as a graph output makes
onnxruntime hand it back with the audio, at no cost and with the same samples.
The changed graph is written once to the user's cache (`$XDG_CACHE_HOME/briefing/
models`), optimized as onnxruntime would at every load and named for the model's
contents; where that folder cannot be written, the graph is changed in memory at
every load. Nothing is
downloaded. A model without the tensor loads as it is: its words are then timed by an
estimate (timing.estimated_words).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

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
    tensor) or the changed graph's bytes. Needs the `onnx` package the first time.

    The cached copy is also optimized as far as onnxruntime's portable ("extended") level
    goes, which it would otherwise redo at every load: a session opens in a third of the
    time (hibari 84 -> 26 ms) and gives the same samples. It is named for the model's
    contents and the onnxruntime version, so installs of the same model share one copy
    and a new version replaces the old."""
    import onnxruntime

    model = Path(model).resolve()
    folder = cache or models_cache()
    identity = f"{CACHE_FORMAT}\0{model_digest(model)}\0{onnxruntime.__version__}".encode()
    cached = folder / f"{model.stem}-{hashlib.sha256(identity).hexdigest()[:16]}.onnx"
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
        folder.mkdir(parents=True, exist_ok=True)
        write_optimized(cached, data)
    except (OSError, RuntimeError):  # onnxruntime raises its own errors as RuntimeError subclasses
        return data
    for old in folder.glob(f"{model.stem}-*.onnx"):
        if old != cached and len(old.stem) == len(cached.stem):
            old.unlink(missing_ok=True)
    return str(cached)


CACHE_FORMAT = 2
"""Bump when the cached copies would be made differently."""


def model_digest(model: Path) -> str:
    """The model file's identity: its size and a hash of its first and last MiB (a whole hash
    of Piper's 63 MB would cost more than the load it saves)."""
    size = model.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with model.open("rb") as handle:
        digest.update(handle.read(1 << 20))
        handle.seek(max(size - (1 << 20), 0))
        digest.update(handle.read(1 << 20))
    return digest.hexdigest()


def write_optimized(target: Path, graph: bytes) -> None:
    """`graph` as onnxruntime optimizes it at its "extended" level (no layout changes for this
    machine's CPU, so the file is portable), written in one step to `target`."""
    import tempfile

    import onnxruntime

    with tempfile.TemporaryDirectory(prefix=".briefing-model-", dir=target.parent) as work:
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        options.optimized_model_filepath = str(Path(work) / target.name)
        options.log_severity_level = 3
        onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
        os.chmod(options.optimized_model_filepath, 0o644)
        os.replace(options.optimized_model_filepath, target)
