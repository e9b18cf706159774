"""A plain PyTorch training loop on the bench's engine workload, for comparison (not a dependency).

Same work as ``glassbox bench``'s ``circle_2_8_8_1_n500_epochs_per_s``: 500 training points of the
circle data set (noise 0.1, seed 3), a 2-8-8-1 network, tanh hidden layers, a sigmoid output and
cross-entropy, full-batch gradient descent (η = 0.3). Run it in a throwaway venv that has torch:

    python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch numpy
    PYTHONPATH=. /tmp/torchvenv/bin/python tools/torch_baseline.py
"""

from __future__ import annotations

import time

import torch

from glassbox_game.engine import datasets


def main() -> None:
    split = datasets.build(datasets.DataSpec("circle", 500, 0.1, 0.0, 3))
    for threads, dtype in ((2, torch.float32), (1, torch.float32), (2, torch.float64), (1, torch.float64)):
        torch.set_num_threads(threads)
        x = torch.tensor(split.train.x, dtype=dtype)
        y = torch.tensor(split.train.y, dtype=dtype)
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8),
                                    torch.nn.Tanh(), torch.nn.Linear(8, 1)).to(dtype)
        opt = torch.optim.SGD(model.parameters(), lr=0.3)
        loss_fn = torch.nn.BCEWithLogitsLoss()  # sigmoid output + cross-entropy, from the logit
        best = 0.0
        for run in range(4):
            epochs = 300 if run == 0 else 3000
            start = time.perf_counter()
            for _ in range(epochs):
                opt.zero_grad()
                loss = loss_fn(model(x), y)
                loss.backward()
                opt.step()
            rate = epochs / (time.perf_counter() - start)
            if run:
                best = max(best, rate)
        print(f"torch {torch.__version__} {str(dtype).split('.')[-1]} threads={torch.get_num_threads()}: "
              f"{best:,.0f} epochs/s (best of 3 × 3,000), final loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
