"""BLAS threads follow the machine's state: the decision on synthetic /proc/stat samples, the
controller setting threadpoolctl's count, the user's choice winning, and training results
that do not depend on the count."""

import numpy as np
import pytest
from threadpoolctl import ThreadpoolController, threadpool_limits

from dlpath.engine import threads
from dlpath.engine.threads import (
    Sample, ThreadController, decide_threads, other_busy_cores, parse_proc_stat,
)

PROC_STAT = """cpu  300 0 100 1600 0 0 0 0 0 0
cpu0 200 0 50 750 0 0 0 0 0 0
cpu1 100 0 50 850 0 0 0 0 0 0
intr 12 0 0
ctxt 99
"""


def stat_text(*cpus) -> str:
    """A /proc/stat with one line per CPU from (busy, idle) ticks."""
    lines = [f"cpu  {sum(b for b, _ in cpus)} 0 0 {sum(i for _, i in cpus)} 0 0 0 0 0 0"]
    lines += [f"cpu{n} {busy} 0 0 {idle} 0 0 0 0 0 0" for n, (busy, idle) in enumerate(cpus)]
    return "\n".join(lines + ["intr 1 2 3"]) + "\n"


def sample(*cpus, own_cpu=0.0, wall=0.0) -> Sample:
    return Sample(parse_proc_stat(stat_text(*cpus)), own_cpu, wall)


def test_parse_proc_stat_reads_busy_and_total_ticks_per_cpu():
    assert parse_proc_stat(PROC_STAT) == {0: (250, 1000), 1: (150, 1000)}


def test_parse_proc_stat_counts_iowait_as_idle_and_steal_as_busy():
    text = "cpu0 10 1 2 50 7 3 4 5 9 9\n"
    assert parse_proc_stat(text) == {0: (10 + 1 + 2 + 3 + 4 + 5, 82)}


def test_idle_machine_gets_all_cores():
    before, after = sample((0, 0), (0, 0)), sample((2, 98), (1, 99), wall=1.0)
    other = other_busy_cores(before, after, [0, 1])
    assert other == pytest.approx(0.03)
    assert decide_threads(2, other) == 2
    assert decide_threads(16, 0.1) == 16


def test_one_busy_core_of_two_gives_one_thread():
    # Another process keeps cpu1 busy; this process is idle.
    before, after = sample((0, 0), (0, 0)), sample((0, 100), (100, 0), wall=1.0)
    other = other_busy_cores(before, after, [0, 1])
    assert other == pytest.approx(1.0)
    assert decide_threads(2, other) == 1


def test_own_cpu_time_is_not_other_load():
    # Both cores fully busy, 2 cores' worth of it this process's own threads: nobody else.
    before = sample((0, 0), (0, 0), own_cpu=10.0, wall=5.0)
    after = sample((100, 0), (100, 0), own_cpu=12.0, wall=6.0)
    assert other_busy_cores(before, after, [0, 1]) == pytest.approx(0.0)
    assert decide_threads(2, other_busy_cores(before, after, [0, 1])) == 2
    # Oversubscribed: this process got 1.3 cores, another process the rest.
    after = sample((100, 0), (100, 0), own_cpu=11.3, wall=6.0)
    assert other_busy_cores(before, after, [0, 1]) == pytest.approx(0.7)
    assert decide_threads(2, 0.7) == 1


def test_only_usable_cpus_count():
    # cpu1 is busy but outside this process's affinity.
    before, after = sample((0, 0), (0, 0)), sample((0, 100), (100, 0), wall=1.0)
    assert other_busy_cores(before, after, [0]) == pytest.approx(0.0)


def test_short_bursts_and_small_work():
    assert decide_threads(2, 0.2) == 2  # a core busy a fifth of the time is free
    assert decide_threads(8, 2.5) == 5
    assert decide_threads(4, 9.0) == 1  # never zero
    assert decide_threads(4, 0.0, work=100) == 1
    assert decide_threads(4, 0.0, work=3 * threads.MIN_WORK_PER_THREAD) == 3


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class FakeLibrary:
    def __init__(self, num_threads=2, maximum=64):
        self.num_threads, self.maximum = num_threads, maximum

    def set_num_threads(self, n):
        self.num_threads = min(n, self.maximum)


def fake_controller(stats, environ=None, libraries=None):
    """A controller over a scripted sequence of /proc/stat texts and a hand-moved clock."""
    clock, texts = Clock(), iter(stats)
    libraries = [FakeLibrary()] if libraries is None else libraries
    control = ThreadController(cpus=[0, 1], cores=2, read_stat=lambda: next(texts),
                               clock=clock, cpu_clock=lambda: 0.0, environ=environ or {},
                               libraries=lambda: libraries)
    return control, clock, libraries


def busy_then_idle():
    """Samples 1.5 s apart: cpu1 busy (by another process), then both idle."""
    return [stat_text((0, 0), (0, 0)), stat_text((0, 150), (150, 0)),
            stat_text((1, 299), (151, 149)), stat_text((2, 448), (152, 298))]


def test_controller_follows_load_and_samples_at_most_once_per_interval():
    control, clock, (library,) = fake_controller(busy_then_idle())
    assert control.tick() is None  # the first sample has nothing to compare with
    clock.now += 1.5
    assert control.tick() == 1 and library.num_threads == 1  # cpu1 busy
    clock.now += threads.INTERVAL / 2
    assert control.tick() is None  # too soon: no sample taken
    clock.now += 1.0
    assert control.tick() == 2 and library.num_threads == 2  # idle again


def test_a_stale_sample_is_not_compared_with():
    control, clock, (library,) = fake_controller(busy_then_idle())
    control.tick()
    clock.now += threads.STALE + 1
    assert control.tick() is None and library.num_threads == 2


def test_user_environment_variable_wins():
    control, clock, (library,) = fake_controller(busy_then_idle(),
                                                 environ={"OMP_NUM_THREADS": "2"})
    for _ in range(3):
        assert control.tick() is None
        clock.now += 1.5
    assert library.num_threads == 2
    assert control.user_variable() == "OMP_NUM_THREADS"


def test_set_threads_wins_until_given_back():
    control, clock, (library,) = fake_controller(busy_then_idle())
    control.set_threads(2)
    for _ in range(2):
        assert control.tick() is None
        clock.now += 1.5
    assert library.num_threads == 2  # cpu1 busy, but the user asked for 2
    control.set_threads(None)
    assert control.tick() is None  # a fresh first sample
    clock.now += 1.5
    assert control.tick() == 1 and library.num_threads == 1  # dlpath decides again


def test_a_count_set_through_threadpoolctl_is_left_alone():
    control, clock, (library,) = fake_controller(busy_then_idle())
    control.tick()
    clock.now += 1.5
    assert control.tick() == 1
    library.num_threads = 2  # the user's threadpool_limits(2)
    clock.now += 1.5
    assert control.tick() is None and library.num_threads == 2


def test_a_count_lowered_before_the_first_decision_is_left_alone():
    control, clock, (library,) = fake_controller(busy_then_idle(), libraries=[FakeLibrary(1)])
    control.tick()
    clock.now += 1.5
    assert control.tick() is None and library.num_threads == 1


def test_set_threads_rejects_bad_counts():
    control, _, _ = fake_controller([])
    with pytest.raises(ValueError, match="set_threads: threads must be >= 1, got 0"):
        control.set_threads(0)
    with pytest.raises(TypeError, match="set_threads: threads must be an int"):
        control.set_threads(2.0)


def test_no_proc_stat_means_no_decision():
    def missing():
        raise FileNotFoundError("/proc/stat")

    control = ThreadController(cpus=[0, 1], cores=2, read_stat=missing, environ={},
                               libraries=lambda: [FakeLibrary()])
    assert control.tick() is None and control.tick() is None


def openblas_counts():
    return [lib.num_threads for lib in ThreadpoolController().select(user_api="blas")
            .lib_controllers]


@pytest.fixture
def real_blas():
    """The real BLAS libraries; their thread counts are restored afterwards."""
    if not openblas_counts():
        pytest.fail("NumPy's BLAS is not visible to threadpoolctl")
    with threadpool_limits(limits=None):  # restores the counts on exit
        # Start from BLAS's own default (a fit run by an earlier test may have lowered it).
        threadpool_limits(limits=len(threads.usable_cpus()), user_api="blas")
        yield


def test_controller_changes_the_count_threadpoolctl_reports(real_blas):
    original = max(openblas_counts())
    clock, texts = Clock(), iter(busy_then_idle())
    control = ThreadController(cpus=[0, 1], cores=2, read_stat=lambda: next(texts),
                               clock=clock, cpu_clock=lambda: 0.0, environ={})
    control.tick()
    clock.now += 1.5
    assert control.tick() == 1
    assert openblas_counts() == [1] * len(openblas_counts())
    assert threads.get_threads() == 1
    clock.now += 1.5
    control.tick()
    assert min(openblas_counts()) == min(2, original)


def train_weights(blas_threads: int) -> list:
    """Weights after three float64 SGD steps of a small CNN with BLAS on ``blas_threads``."""
    from dlpath import keras

    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 12, 12, 3))
    y = rng.integers(0, 10, 64)
    with threadpool_limits(limits=blas_threads, user_api="blas"):
        threads.set_threads(blas_threads)  # and no decision from the machine's state
        try:
            keras.utils.set_random_seed(1)
            model = keras.Sequential([
                keras.Input((12, 12, 3)),
                keras.layers.Conv2D(16, 3, activation="relu", dtype="float64"),
                keras.layers.Flatten(dtype="float64"),
                keras.layers.Dense(256, activation="relu", dtype="float64"),
                keras.layers.Dense(10, dtype="float64")])
            model.compile(optimizer=keras.optimizers.SGD(0.1),
                          loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
            model.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0)
            model.train_on_batch(x, y)
        finally:
            threads.set_threads(None)
    return [np.asarray(w) for w in model.get_weights()]


def test_training_results_do_not_depend_on_the_thread_count(real_blas):
    # Equal to float64 rounding, not bit for bit: for a product with a long reduction and a
    # small result (the Conv2D kernel gradient, (27, 3200) @ (3200, 16)) OpenBLAS splits the
    # sum itself between threads, which changes the order of the additions (~1e-16 relative).
    one, two = train_weights(1), train_weights(2)
    assert all(w.dtype == np.float64 for w in one)
    for a, b in zip(one, two):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_tf_config_intra_op_threads_pin_blas_and_zero_gives_back(real_blas):
    import dlpath as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(1)
        assert threads.controller().user_threads == 1 and threads.get_threads() == 1
        assert threads.tick() is None  # pinned: no decision from the machine's state
    finally:
        tf.config.threading.set_intra_op_parallelism_threads(0)
    assert threads.controller().user_threads is None
