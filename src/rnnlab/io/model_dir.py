"""A saved model: a folder of data, never code.

    model.safetensors   the weights
    model.json          {"kind": ..., "format": 1, "config": {...}, "extra": {...},
                         "weights_sha256": ..., "versions": {...}}

The model is rebuilt from ``config`` by the task's own code, then the weights are
loaded with ``strict=True``; a config whose shapes do not match the weights is refused
with the names and shapes that differ.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Optional

from .atomic import atomic_write_json
from .config_fields import config_fields  # noqa: F401  (its old home: the configs import it here)
from .errors import CheckpointError
from .weights_match import check_built_shapes, check_state_dict, counts_past
from .json_file import MODEL_JSON_MAX_BYTES, is_sha256, read_json
from .not_a_model import not_a_model
from ..callers_line import callers_level

if TYPE_CHECKING:  # torch is imported where weights are read or written: the configs
    import torch  # (config_fields) are read by the parsers, which must not import it
    from torch import nn

FORMAT = 1
KEPT_WEIGHTS = "model.previous.safetensors"  # the replaced weights, while save() replaces them
# names of one file's formats (torch.save's, Darts' model.save("m.pt"), Keras', pickle's):
# a save to such a name makes a folder, said in a warning
FILE_SUFFIXES = (".pt", ".pth", ".ckpt", ".pkl", ".pickle", ".bin", ".safetensors", ".h5",
                 ".hdf5", ".keras", ".joblib", ".onnx", ".zip", ".json")


def save_model_dir(path, module: nn.Module, kind: str, config: dict, extra: dict,
                   overwrite: bool = False) -> Path:
    """Write weights then JSON (the JSON, written last, marks the folder complete).

    ``path`` is a folder; a saved model already there is replaced only with
    ``overwrite=True`` (other files in the folder are left as they are). The folder is
    locked while it is written (:class:`rnnlab.io.runlock.SaveLock`): a second save of it
    at the same time is refused, naming the writer."""
    from .runlock import SaveLock

    path = Path(path)
    _refuse_link_in_run(path)
    if path.exists() and not path.is_dir():
        raise CheckpointError(f"{path}: is a file; save() writes a folder (model.json and "
                              f"model.safetensors): give a folder path")
    if path.is_symlink() and not path.exists():  # (it was "[Errno 17] File exists")
        raise CheckpointError(f"{path}: is a link to nothing (to {os.readlink(path)}); save() "
                              f"writes a folder there: make the folder it leads to, remove "
                              f"the link, or give another path")
    if not path.exists():
        _say_folder(path)
    path.mkdir(parents=True, exist_ok=True)
    with SaveLock(path):  # (what the folder holds is checked under the lock)
        _write_model(path, module, kind, config, extra, overwrite)
    return path


def _say_folder(path: Path) -> None:
    """A UserWarning when a new save's folder is named like one file (``model.pt``): a
    Darts or torch user expects a file there, and gets a folder (load takes it back all the
    same: ``Forecaster.load("model.pt")``). Saved so, as before; not refused, so that the
    folders already named so are saved to and loaded as they were."""
    if path.suffix.lower() not in FILE_SUFFIXES:
        return
    import warnings

    warnings.warn(f"save({str(path)!r}) writes a folder, {path}, holding model.json and "
                  f"model.safetensors (a saved model is a folder of data, not one "
                  f"{path.suffix} file); load({str(path)!r}) reads it back. Name it "
                  f"without a suffix ({path.with_suffix('')}) to say it is a folder",
                  UserWarning, stacklevel=callers_level(4))


def _write_model(path: Path, module, kind: str, config: dict, extra: dict,
                 overwrite: bool) -> None:
    from .versions import versions
    from .weights import save_weights

    held = [n for n in ("model.json", "model.safetensors") if (path / n).exists()]
    if held and not overwrite:
        raise CheckpointError(f"{path}: already holds a saved model ({', '.join(held)}); pass "
                              f"overwrite=True to replace it, or save to another folder")
    kept = path / KEPT_WEIGHTS
    # the saved model stays loadable (its JSON + the kept weights: load_weights_into) until
    # the new JSON is in place; weights a stopped save kept are kept while the JSON names them
    if len(held) == 2 and not (kept.is_file() and _json_names(path, kept)):
        os.replace(path / "model.safetensors", kept)
    sha = save_weights(path / "model.safetensors", module.state_dict())
    atomic_write_json(path / "model.json", {
        "kind": kind, "format": FORMAT, "config": config, "extra": extra,
        "weights_sha256": sha, "versions": versions(),
    }, checksum=True)
    kept.unlink(missing_ok=True)


def _refuse_link_in_run(path: Path) -> None:
    """A model folder inside a run directory that is a link (or holds one) is refused:
    saving would write outside the run directory."""
    from .rundir import is_run_dir

    if not is_run_dir(path.parent):
        return
    for p in (path, path / "model.json", path / "model.safetensors"):
        if p.is_symlink():
            raise CheckpointError(f"{p}: is a link inside the run directory {path.parent}; "
                                  f"rnnlab does not write through links there (the files would "
                                  f"land outside it). Remove the link and save again")


def other_format(meta: dict, what: str, reads: int, todo: str) -> CheckpointError:
    """The refusal of a file (``meta``: its JSON) of another format than the one this rnnlab
    ``reads``, naming the rnnlab that wrote it (its ``versions``) and what to do."""
    from .. import __version__

    was = meta.get("versions")
    by = was.get("rnnlab") if isinstance(was, dict) else None
    return CheckpointError(f"{what} {meta.get('format')!r}"
                           + (f" (written by rnnlab {by})" if by else "")
                           + f"; this rnnlab {__version__} reads format {reads}: {todo}")


def read_model_json(path, kind: str) -> dict:
    path = Path(path)
    if path.is_file() and path.name == "model.json":
        path = path.parent
    # (os.path.lexists: a model.json that is a folder, a pipe or a link to nothing is the
    # saved model's, damaged, and read_json says how; not "no model.json")
    if not os.path.lexists(path / "model.json") and \
            os.path.lexists(path / "model" / "model.json"):
        path = path / "model"  # a run directory: its model/ folder
    meta_path = path / "model.json"
    if not path.exists():
        raise CheckpointError(f"{path}: no such saved model")
    if not os.path.lexists(meta_path):
        raise not_a_model(path, kind)  # (a backtest's folder, a run's checkpoints: named)
    meta = read_json(meta_path, CheckpointError, note_unverified=True,
                     max_bytes=MODEL_JSON_MAX_BYTES)
    if not isinstance(meta.get("config"), dict):
        raise CheckpointError(f"{meta_path}: expected an object with a 'config' object")
    if not isinstance(meta.get("kind"), str):  # (a list or object: unhashable below)
        raise CheckpointError(f"{meta_path}: 'kind' should be a string naming the model, found "
                              f"{type(meta.get('kind')).__name__}; the file was edited or "
                              f"damaged: restore it from a copy, or train again")
    if meta.get("kind") != kind:
        loader = {"forecaster": "rnnlab.forecast.Forecaster.load", "charlm":
                  "rnnlab.lm.CharLM.load", "panel-forecaster":
                  "rnnlab.panel.GlobalForecaster.load"}.get(meta.get("kind"))
        raise CheckpointError(f"{meta_path}: holds a {meta.get('kind')!r} model, expected {kind!r}"
                              + (f"; load it with {loader}" if loader else ""))
    if meta.get("format") != FORMAT:
        raise other_format(meta, f"{meta_path}: format", FORMAT, "load it with the rnnlab that "
                           "saved it, or train the model again")
    sha = meta.get("weights_sha256")
    if sha is not None and not is_sha256(sha):
        raise CheckpointError(f"{meta_path}: 'weights_sha256' should be 64 hexadecimal digits, "
                              f"found {str(sha)[:40]!r}; the file was edited or damaged: "
                              f"restore it from a copy, or train again")
    meta["_dir"] = str(path)
    return meta


def load_weights_into(module: nn.Module, meta: dict) -> None:
    from .weights import load_weights

    path = Path(meta["_dir"]) / "model.safetensors"
    path = _weights_of_json(path, meta.get("weights_sha256"))
    load_checked(module, load_weights(path, expected_sha256=meta.get("weights_sha256")), path)


def load_checked(module: nn.Module, weights: dict, path) -> None:
    """Load ``weights`` (read from ``path``, a file rnnlab wrote for a model built as
    ``module``) into ``module`` once they match its names and shapes and are finite, with
    a note where their float type is not the model's: a saved model's loaders and an
    unfinished run's best weights alike."""
    from ..nn.gru_form import marked_forms
    from .weight_dtypes import note_cast_weights

    check_state_dict(module, weights, path)
    check_finite(weights, path)
    note_cast_weights(module, weights, path)  # (float16 weights into float32: said once)
    module.load_state_dict(marked_forms(module, weights), strict=True)  # (its own: no warning)


def nonfinite_names(state: dict) -> list:
    """The names of the floating tensors of ``state`` (a state_dict) that hold an inf or
    a NaN, in order (a saved model's, a checkpoint's, the weights of a model training)."""
    import torch

    return [k for k, t in state.items() if torch.is_tensor(t) and t.is_floating_point()
            and not bool(torch.isfinite(t).all())]


def check_finite(weights: Dict[str, torch.Tensor], source) -> None:
    """A saved model's weights are finite numbers (training never keeps a step that made
    them NaN or inf): a NaN or inf in one, written there with the hash recorded again,
    made the model forecast NaN, or numbers that were not its own, without a word."""
    bad = nonfinite_names(weights)
    if bad:
        raise CheckpointError(f"{source}: the weights {bad[:5]} hold NaN or infinite values; a "
                              f"model rnnlab saved has finite weights, so the file was edited "
                              f"or damaged: restore it from a copy, or train again")


def _json_names(path: Path, weights: Path) -> bool:
    from .weights import sha256_file

    try:
        meta = read_json(path / "model.json", CheckpointError, max_bytes=MODEL_JSON_MAX_BYTES)
    except CheckpointError:
        return False
    return meta.get("weights_sha256") == sha256_file(weights)


def _weights_of_json(path: Path, sha: Optional[str], quiet: bool = False) -> Path:
    """The weights that model.json names: a ``save(overwrite=True)`` stopped before its
    new model.json was written left the replaced weights beside the new ones
    (:data:`KEPT_WEIGHTS`); with the old model.json they are the model saved before."""
    import sys

    from .weights import sha256_file

    kept = path.with_name(KEPT_WEIGHTS)
    if not sha or not kept.is_file() or (path.is_file() and sha256_file(path) == sha):
        return path
    if sha256_file(kept) != sha:
        return path  # (refused by load_weights, naming the file)
    if not quiet:
        print(f"rnnlab: note: {path.parent}: a save that was replacing this model stopped before "
              f"it finished; loading the model saved before it ({kept.name})", file=sys.stderr)
    return kept


def built_for_weights(build, meta: dict):
    """``build()``: the module a saved model's config makes, built first on torch's meta
    device (no memory) and checked against the weights file's header, so that a config
    edited to sizes the weights do not have (``"hidden_size": 100000``) is refused, naming
    the shapes, before memory is taken for it. Its initial weights, replaced by the saved
    ones, are drawn from a private generator, not torch's global RNG."""
    path = _weights_of_json(Path(meta["_dir"]) / "model.safetensors", meta.get("weights_sha256"),
                            quiet=True)  # (load_weights_into says it)
    try:
        from .weights import header_shapes

        shapes = header_shapes(path)
        _refuse_counts_past_header(meta, len(shapes))
        check_built_shapes(build, path, shapes)
    except CheckpointError:  # a header damaged (a name's byte flipped) is named by the
        from .weights import load_weights  # recorded hash, not called another model's

        load_weights(path, expected_sha256=meta.get("weights_sha256"))
        raise
    except (ValueError, TypeError, RuntimeError) as e:  # (torch refusing sizes, even on the
        # meta device: "input_size must be greater than zero", "Storage size ... overflowed")
        why = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
        raise CheckpointError(f"{Path(meta['_dir']) / 'model.json'}: its config cannot build a "
                              f"model ({why}); the "
                              f"file was edited or damaged: restore it from a copy, or train "
                              f"again") from None
    from .private_draws import private_draws

    with private_draws():  # (its weights are replaced: a fit in another thread keeps its draws)
        return build()


def refuse_counts_past_weights(meta: dict) -> None:
    """:func:`built_for_weights`' check of the config's layer and member counts against the
    weights' tensors, for a loader whose config object checks its spec by building the
    model (on the meta device: ``LMConfig``), before that config is made: there
    ``"num_layers": 10**9`` looped for ever. A header that cannot be read is left to
    :func:`built_for_weights` to name."""
    from .weights import header_shapes

    path = _weights_of_json(Path(meta["_dir"]) / "model.safetensors", meta.get("weights_sha256"),
                            quiet=True)
    try:
        tensors = len(header_shapes(path))
    except CheckpointError:
        return
    _refuse_counts_past_header(meta, tensors)


def _refuse_counts_past_header(meta: dict, tensors: int) -> None:
    over = counts_past(meta.get("config") if isinstance(meta.get("config"), dict) else {},
                       tensors)
    if over:
        raise CheckpointError(f"{Path(meta['_dir']) / 'model.json'}: its config says "
                              f"{', '.join(over)}, more than the {tensors} tensors its weights "
                              f"hold; the file was edited or damaged: restore it from a copy, "
                              f"or train again")
