"""A stop raised once a backtest has finished a chosen origin, for the resume tests (three
tests wrote the same stub of ``origin_loop._said_origin`` by hand)."""
import rnnlab.panel.origin_loop as loop


def stop_at_origin(monkeypatch, make_stop=KeyboardInterrupt, at: int = 1):
    """Patch the backtest's per-origin progress call to raise ``make_stop()`` as origin
    ``at`` (0-based) is said done: its fold is computed and kept by then (folds 0 to
    ``at`` read back on resume, the next one computed); returns the real call, to put
    back with monkeypatch."""
    real = loop._said_origin

    def stopping(progress, label, j, n, spent):
        if j == at:
            raise make_stop()
        real(progress, label, j, n, spent)
    monkeypatch.setattr(loop, "_said_origin", stopping)
    return real
