"""A resume's shape check: the model a resumed run's settings build, on torch's meta
device, against the shapes of the checkpoint it resumes (its weights file's header), so
that settings edited since are refused by name before memory is taken for them."""

from __future__ import annotations

from ..io.errors import CheckpointError


def check_resume_shapes(build, checkpoint_dir, settings: str, counts=None) -> None:
    """Before a resumed fit builds its model: ``build()`` made on torch's meta device and
    checked against the shapes of the checkpoint it will resume (its weights file's header),
    so that settings edited since (``"hidden_size": 100000`` in a run's cli.json) are
    refused, naming them (``settings``) and the checkpoint's shapes, before memory is
    taken for them (the full model was allocated first, then found not to fit).
    ``counts``: the settings (a ModelSpec) whose layer counts are checked against the
    header's tensor count first (:func:`rnnlab.io.weights_match.counts_past`)."""
    from ..io.weights_match import check_built_shapes, counts_past
    from ..io.weights import header_shapes
    from .checkpoint import CheckpointManager, load_checkpoint_dir  # (it imports this one)

    folder = CheckpointManager(checkpoint_dir).resume_folder() if checkpoint_dir else None
    if folder is None:
        return  # (nothing to resume: the resume itself says so)
    path = folder / "model.safetensors"
    try:
        shapes = header_shapes(path)
    except CheckpointError:
        return  # a damaged file: the resume says so (or goes on from an older checkpoint)
    try:
        over = counts_past(counts, len(shapes)) if counts is not None else []
        if over:  # (not built: a million layers took hours even on the meta device)
            raise CheckpointError(f"{', '.join(over)} is more than the {len(shapes)} tensors "
                                  f"of {path}")
        check_built_shapes(build, path, shapes)
    except CheckpointError as e:
        try:  # a header damaged but parsing (a name's byte flipped): its hash says so, and
            load_checkpoint_dir(folder)  # the resume goes on from an older checkpoint
        except CheckpointError:
            return
        raise CheckpointError(f"cannot resume with {settings}: {e} (a resumed run takes its "
                              f"settings from its cli.json: was it edited?)") from None


def shape_settings(spec, **more) -> str:
    """The settings that give a model of ``spec`` (a ModelSpec) its shapes, as a resume
    refusal names them: ``model lstm, hidden_size 100000, num_layers 2``."""
    from ..names import reads_option

    said = {"model": spec.name, "hidden_size": spec.hidden_size,
            "num_layers": spec.num_layers, **more}
    said.update({k: getattr(spec, k) for k in ("depth", "width", "out_depth", "out_width")
                 if reads_option(spec.name, k)})
    return ", ".join(f"{k} {v}" for k, v in said.items() if v is not None)
