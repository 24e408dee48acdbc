"""``tf.data`` and ``tf.TensorSpec`` resolve on a fresh ``import dlpath as tf``."""

import subprocess
import sys

PROGRAM = """
import sys
import dlpath as tf
assert "dlpath.data" not in sys.modules
ds = tf.data.Dataset.from_tensor_slices(([1, 2, 3], [4, 5, 6])).batch(2)
print([len(x) for x, y in ds], tf.data.AUTOTUNE, tf.TensorSpec.__name__)
"""


def test_tf_data_loads_on_first_use_without_keras():
    done = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[2,", "1]", "-1", "TensorSpec"]
