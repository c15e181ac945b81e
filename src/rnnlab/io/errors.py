"""The documented error types: every user-facing failure is one of these."""


class RnnlabError(Exception):
    """Base of rnnlab's errors: the message says what was expected, what was found, what to do."""


class DataError(RnnlabError, ValueError):
    """A dataset, CSV column, series or text corpus cannot be used as given."""


class NotFittedError(DataError, RuntimeError):
    """A model asked to forecast or save before fit() (or load()): a RuntimeError as the
    Forecaster's and the baselines' are; a DataError as GlobalForecaster's was."""


class CheckpointError(RnnlabError, ValueError):
    """A checkpoint or saved model is missing, damaged, unsafe or incompatible."""


class RunDirError(RnnlabError):
    """A run directory exists, is locked by another process, or cannot be written."""


class FolderInTheWayError(RunDirError, IsADirectoryError):
    """A file rnnlab writes (a run's ``history.csv``, an output file) stands as a folder:
    a RunDirError, and still the IsADirectoryError (an OSError) it was, so ``except
    OSError`` written before catches it. The folder is left as it is."""


class FileInTheWayError(RunDirError, NotADirectoryError):
    """A folder rnnlab makes to write in (``results`` of ``results/scores.csv``, a run
    directory's parent) stands as a file, or as a link to nothing: a RunDirError, and
    still the NotADirectoryError (an OSError) Python raised. The file is left as it is."""


class ConfigError(RnnlabError, ValueError):
    """A setting or argument of a value rnnlab cannot take (``TrainConfig(epochs=0)``,
    ``CharLM(hidden_size=0)``, ``build_model(..., depth=3)``): a ValueError, as Python's
    and torch's are, so ``except ValueError`` written before it existed still catches it."""


class SettingError(ConfigError, DataError):
    """A ForecastConfig or PanelConfig setting of a value it cannot take (``seed=1.5``,
    ``Forecaster(horizon=0)``): a ConfigError as every config's refusal is, and still the
    DataError these two raised before, so ``except DataError`` written for them catches it."""


class ConfigTypeError(RnnlabError, TypeError):
    """A setting or argument of a type rnnlab cannot take (a dict for a config, an unknown
    keyword setting, a tensor where a function goes): a TypeError, as Python's and torch's
    are. A number setting given as text (``TrainConfig(epochs="3")``) is refused by the
    config's own checks, as a ValueError for most (a TypeError for ``LMConfig``'s): catch
    :class:`RnnlabError` for both."""


class UnsupportedError(RnnlabError, RuntimeError):
    """A path asked for that cannot run here (``impl='triton-split'`` without a GPU, a double
    backward through the fast kernel, TorchScript): a RuntimeError, as torch raises for
    what it cannot run."""


class OptionError(ConfigError):
    """A command-line option's value is refused (by the config it sets, after parsing): a
    usage error, so ``rnnlab`` exits with status 2 as for a value argparse refuses."""


def shown_name(e: BaseException) -> str:
    """The type a message names for ``e`` (``"... (TypeError: ...)"``): a ConfigError,
    ConfigTypeError or UnsupportedError by its builtin (ValueError, TypeError, RuntimeError),
    as messages named these before they were rnnlab's (and "ConfigTypeError" would misname
    a damaged file's field), a SettingError as the DataError it was; any other error by its
    own name."""
    for ours, builtin in ((ConfigTypeError, TypeError), (UnsupportedError, RuntimeError),
                          (ConfigError, ValueError), (SettingError, DataError)):
        if type(e) is ours:
            return builtin.__name__
    return type(e).__name__
