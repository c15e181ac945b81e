"""A small training run in its own process, for the kill/interrupt tests.

usage: python train_script.py CKPT_DIR OUT_WEIGHTS [--resume] [--slow SECONDS]
"""

import sys
import time

import torch
from torch import nn

from rnnlab.io.weights import save_weights
from rnnlab.nn.registry import build_model, detach_state
from rnnlab.train import TrainConfig, TrainingInterrupted, fit, seed_everything


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = build_model("lstm", input_size=1, hidden_size=8, dropout=0.0)
        self.drop = nn.Dropout(0.2)  # exercises the RNG state in checkpoints
        self.head = nn.Linear(8, 1)

    def forward(self, x, state=None):
        out, state = self.rnn(x, state)
        return self.head(self.drop(out)), state


class Streams:
    """Truncated BPTT over 4 streams of a sine, state carried across batches."""

    def __init__(self, slow=0.0):
        t = torch.arange(4 * 200, dtype=torch.float32).view(4, 200) * 0.1
        self.data = torch.sin(t).unsqueeze(-1)
        self.slow = slow

    def num_batches(self, epoch):
        return 12

    def get_batch(self, epoch, index):
        g = torch.Generator().manual_seed(epoch)
        offset = int(torch.randint(0, 10, (1,), generator=g))
        s = offset + index * 15
        return self.data[:, s:s + 15], self.data[:, s + 1:s + 16]

    def initial_carry(self):
        return None

    def train_loss(self, model, batch, carry):
        if self.slow:
            time.sleep(self.slow)
        pred, state = model(batch[0], carry)
        return nn.functional.mse_loss(pred, batch[1]), detach_state(state)

    def validate(self, model):
        with torch.no_grad():
            pred, _ = model(self.data[:, :100])
            return float(nn.functional.mse_loss(pred, self.data[:, 1:101]))


def main(argv):
    ckpt, out = argv[0], argv[1]
    resume = "--resume" in argv
    slow = float(argv[argv.index("--slow") + 1]) if "--slow" in argv else 0.0
    seed_everything(3)
    model = Model()
    cfg = TrainConfig(epochs=4, lr=1e-2, progress=False, checkpoint_every=2)
    try:
        fit(model, Streams(slow), cfg, checkpoint_dir=ckpt, resume=resume)
    except TrainingInterrupted as e:
        print(f"interrupted: {e}", flush=True)
        return e.exit_code
    save_weights(out, model.state_dict())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
