"""A functional model with several inputs and outputs (the Keras functional-API guide's
ticket classifier), trained on generated tickets.

Inputs: a title and a body (word ids) and a multi-hot vector of tags; outputs: a
priority score (sigmoid, regression) and a department (softmax). ``compile`` takes a
loss and a loss weight per named output, ``fit`` dicts keyed by input and output names.
The priority depends on a few "urgent" words and the department on the tags, so the
model can learn both. The last line is the department accuracy on held-out tickets.
"""

import os

import numpy as np

from dlpath import keras
from dlpath.keras import layers

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 10))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))
num_tags = 12
num_words = 1000
num_departments = 4
num_samples = LIMIT or 4000

# 1. Generated tickets.
rng = np.random.default_rng(0)
title_data = rng.integers(0, num_words, size=(num_samples, 10))
body_data = rng.integers(0, num_words, size=(num_samples, 100))
tags_data = rng.integers(0, 2, size=(num_samples, num_tags)).astype("float32")
priority_targets = (np.isin(title_data, np.arange(10)).sum(axis=1) > 0).astype("float32")
priority_targets = priority_targets.reshape(-1, 1)
dept_targets = keras.utils.to_categorical(
    tags_data[:, :num_departments].argmax(axis=1), num_departments)

# 2. The model.
title_input = keras.Input(shape=(None,), name="title")
body_input = keras.Input(shape=(None,), name="body")
tags_input = keras.Input(shape=(num_tags,), name="tags")
title_features = layers.Embedding(num_words, 64)(title_input)
body_features = layers.Embedding(num_words, 64)(body_input)
title_features = layers.LSTM(32)(title_features)
body_features = layers.LSTM(16)(body_features)
x = layers.concatenate([title_features, body_features, tags_input])
priority_pred = layers.Dense(1, activation="sigmoid", name="priority")(x)
department_pred = layers.Dense(num_departments, activation="softmax", name="department")(x)
model = keras.Model(inputs=[title_input, body_input, tags_input],
                    outputs=[priority_pred, department_pred])
model.summary()

# 3. Compile with a loss per output, train with dicts.
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss={"priority": keras.losses.BinaryCrossentropy(),
          "department": keras.losses.CategoricalCrossentropy()},
    loss_weights={"priority": 1.0, "department": 0.2},
    metrics={"priority": ["accuracy"], "department": ["accuracy"]},
)
split = num_samples * 4 // 5
inputs = {"title": title_data, "body": body_data, "tags": tags_data}
targets = {"priority": priority_targets, "department": dept_targets}
train_x = {k: v[:split] for k, v in inputs.items()}
train_y = {k: v[:split] for k, v in targets.items()}
test_x = {k: v[split:] for k, v in inputs.items()}
test_y = {k: v[split:] for k, v in targets.items()}
model.fit(train_x, train_y, epochs=EPOCHS, batch_size=32, verbose=2)

# 4. Evaluate: one loss and metric per output.
results = model.evaluate(test_x, test_y, verbose=0, return_dict=True)
print({k: round(float(v), 4) for k, v in results.items()})
print(f"test accuracy: {results['department_accuracy']:.4f}")
