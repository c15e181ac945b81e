"""Running the command ``rnnlab`` parsed: its failures told as one line on stderr and an
exit status (README, "Files and safety"), a stop (Ctrl-C, SIGTERM) as how to resume."""

from __future__ import annotations

import sys
from typing import List, Optional, Tuple

from .stop_hints import resume_hint, start_over, start_over_hint


def command_name(args) -> str:
    """The command typed, with its own command: ``lm train``, ``recipe run``."""
    return " ".join(n for n in (args.command, getattr(args, "lm_command", None),
                                getattr(args, "recipe_command", None)) if n)


def run_command(args, argv: Optional[List[str]], quiet: bool = False) -> int:
    """Runs the command parsed (``argv``: what its records name as the command; ``quiet``:
    stderr held back, shown on a failure); its errors are one line on stderr and an exit
    status."""
    from .cli_failures import error_status, os_error_message, out_of_memory
    from .io.command_line import running
    from .io.record_data import repeated_data, repeating
    from .io.errors import RnnlabError
    from .io.encoded_input import encoded_inputs, encoding_hint
    from .io.stdin_input import as_typed, stdin_inputs
    from .io.terminate import Terminated, sigterm_as_interrupt
    from .quiet import quiet_stderr, recorded_argv
    from .train.process_state import command_state_kept
    from .warning_lines import command_warnings

    name = command_name(args)
    try:
        with quiet_stderr(quiet) as held, command_state_kept(), sigterm_as_interrupt(), \
                command_warnings(name), running(recorded_argv(argv, quiet)), \
                stdin_inputs(args), encoded_inputs(args), \
                repeating(*repeated_data(args)):  # (`--data -`; --config RUN_DIR's data)
            code = int(args.func(args) or 0)
            if code and held is not None:  # (a failure said by its status: its context)
                held.release()
        sys.stdout.flush()  # a reader that left shows here, not as a traceback at exit
        return code
    except BrokenPipeError:  # `rnnlab ... | head`: the reader left; the outputs are written
        # (before OSError, of which it is a subclass)
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except RnnlabError as e:
        from .train.stops import TrainingInterrupted

        if isinstance(e, TrainingInterrupted):  # (asked for: Ctrl-C, SIGTERM; no error)
            said = str(e)
            if e.where and e.start_over:  # (the fit kept nothing: the one-series fits of a
                # backtest, whose finished folds are kept all the same; a baseline's panel
                # forecast. The fit's words name its method or argument, not the command)
                kept = resume_hint(args, name) if name == "backtest" else ""
                said = f"{e.where}{kept}" if kept else \
                    f"{e.where}; this run keeps no checkpoints: {start_over(args)}"
            print(f"\nrnnlab {name}: {said}", file=sys.stderr)
            return e.exit_code
        from .config_option import file_note  # (a value from --config FILE: said where)

        said = as_typed(encoding_hint(str(e), args), args)  # (not UTF-8: --encoding ENC)
        print(f"rnnlab {name}: error: {said}{file_note(args, e)}", file=sys.stderr)
        return error_status(e)
    except (ValueError, FileNotFoundError, IsADirectoryError) as e:
        print(f"rnnlab {name}: error: {as_typed(str(e), args)}", file=sys.stderr)
        return 1
    except OSError as e:  # a full disk, a read-only --out: what was kept, what to do
        message = os_error_message(e, args, name)
        if message is None:
            raise
        print(f"rnnlab {name}: error: {message}", file=sys.stderr)
        return 1
    except (MemoryError, RuntimeError) as e:  # sizes beyond the machine: say so, no traceback
        if not out_of_memory(e):
            raise
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        print(f"rnnlab {name}: error: out of memory ({first[:160]}); the sizes asked for "
              f"(--hidden-size, --batch-size, --lookback, -n, ...) need more memory than "
              f"this machine has: choose smaller ones", file=sys.stderr)
        return 1
    except KeyboardInterrupt as e:  # Ctrl-C / SIGTERM outside a training loop (which
        # checkpoints and says so); locks and atomic writes are undone on the way out
        what = "terminated (SIGTERM)" if isinstance(e, Terminated) else "interrupted"
        hint, failed = _stop_hint(args, name)
        print(f"\nrnnlab {name}: {what}; files already written are kept{hint}",
              file=sys.stderr)
        if failed:
            print(f"rnnlab {name}: note: {failed}", file=sys.stderr)
        return 143 if isinstance(e, Terminated) else 130


def _stop_hint(args, name: str) -> Tuple[str, str]:
    """(how to go on after a stop outside training, :mod:`.stop_hints`; why it could not be
    said, else ""). Where building the hint fails to import (the stop cut an import short,
    torch or NumPy half-loaded; or the install is broken, a module missing), the stop is
    still said as one, not as a defect, and the failure in one line after it: it was
    swallowed, and a broken install looked like a stop with nothing more to say. (Printed
    plainly, not wrapped by :mod:`.warning_lines`, whose imports may be what failed.)"""
    try:
        return resume_hint(args, name) or start_over_hint(args), ""
    except (ImportError, AttributeError) as e:
        said = type(e).__name__  # (with its message's first line, when it has one)
        if str(e).strip():
            said += f": {str(e).strip().splitlines()[0][:160]}"
        return "", (f"could not say how to go on ({said}); if the command run again says "
                    f"this too, reinstall rnnlab")
