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


class OptionError(RnnlabError, ValueError):
    """A command-line option's value is refused (by the config it sets, after parsing): a
    usage error, so ``rnnlab`` exits with status 2 as for a value argparse refuses."""
