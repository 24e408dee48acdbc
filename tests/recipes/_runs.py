"""A stand-in for the run object ``dlpath train`` hands to a recipe's ``train``."""

from dataclasses import dataclass, field


@dataclass
class FakeRun:
    model: object
    folder: object = None
    callbacks: list = field(default_factory=list)
    initial_epoch: int = 0
    verbose: int = 0
