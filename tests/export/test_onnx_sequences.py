"""Recurrent layers, masks, attention and embeddings: onnxruntime equals dlpath's predict."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from onnx_check import check_export, randomize, run_onnx

from dlpath import keras

L = keras.layers
STEPS, VOCAB = 6, 11


def padded_ids(batch, padding, seed=0, min_length=0):
    """(batch, STEPS) ids in 1..VOCAB-1 with zeros before ('pre'), after ('post') the
    real steps, or in holes ('holes'); lengths from min_length to STEPS."""
    rng = np.random.default_rng(seed + batch)
    ids = rng.integers(1, VOCAB, (batch, STEPS))
    lengths = rng.integers(min_length, STEPS + 1, batch)
    lengths[0] = max(min_length, min(STEPS - 2, STEPS))  # at least one padded sample
    for row, length in zip(ids, lengths):
        if padding == "pre":
            row[:STEPS - length] = 0
        elif padding == "post":
            row[length:] = 0
        else:
            row[rng.random(STEPS) < 0.4] = 0
    return [ids.astype(np.int64)]


def sequence_inputs(batch, seed=0):
    rng = np.random.default_rng(seed + batch)
    return [rng.normal(size=(batch, STEPS, 3)).astype(np.float32)]


CELLS = [("SimpleRNN", {}), ("LSTM", {}), ("GRU", {"reset_after": True}),
         ("GRU", {"reset_after": False})]


@pytest.mark.parametrize("cell,extra", CELLS, ids=str)
@pytest.mark.parametrize("sequences,state,backwards",
                         list(itertools.product([False, True], repeat=3)))
def test_recurrent_layers(cell, extra, sequences, state, backwards, tmp_path):
    layer = getattr(L, cell)(4, return_sequences=sequences, return_state=state,
                             go_backwards=backwards, **extra)
    inputs = keras.Input((STEPS, 3))
    model = keras.Model(inputs, layer(inputs))
    randomize(model)
    check_export(model, tmp_path, sequence_inputs)


def test_other_cell_activations_and_no_bias(tmp_path):
    inputs = keras.Input((STEPS, 3))
    x = L.SimpleRNN(3, activation="relu", return_sequences=True)(inputs)
    x = L.GRU(3, use_bias=False, return_sequences=True)(x)
    x = L.LSTM(2, activation="softplus", recurrent_activation="tanh")(x)
    model = keras.Model(inputs, x)
    randomize(model)
    check_export(model, tmp_path, sequence_inputs)


def test_initial_states_from_other_inputs(tmp_path):
    x = keras.Input((STEPS, 3), name="x")
    h, c = keras.Input((4,), name="h"), keras.Input((4,), name="c")
    y = L.LSTM(4, return_sequences=True)(x, initial_state=[h, c])
    model = keras.Model([x, h, c], y)
    randomize(model)

    def make(batch):
        rng = np.random.default_rng(batch)
        return [rng.normal(size=s).astype(np.float32)
                for s in ((batch, STEPS, 3), (batch, 4), (batch, 4))]

    check_export(model, tmp_path, make)


@pytest.mark.parametrize("padding", ["pre", "post", "holes"])
@pytest.mark.parametrize("cell,extra", CELLS, ids=str)
@pytest.mark.parametrize("sequences,backwards", [(False, False), (True, False),
                                                 (False, True), (True, True)])
def test_masks_skip_padded_steps_as_dlpath_does(padding, cell, extra, sequences, backwards,
                                                tmp_path):
    inputs = keras.Input((STEPS,), dtype="int64")
    x = L.Embedding(VOCAB, 3, mask_zero=True)(inputs)
    x = getattr(L, cell)(4, return_sequences=sequences, go_backwards=backwards, **extra)(x)
    if sequences:
        x = L.LSTM(2)(x)  # reads the mask passed on by return_sequences
    model = keras.Model(inputs, x)
    randomize(model)
    check_export(model, tmp_path, lambda batch: padded_ids(batch, padding))


@pytest.mark.parametrize("padding", ["pre", "post"])
def test_masks_with_state_outputs_and_zero_output(padding, tmp_path):
    inputs = keras.Input((STEPS,), dtype="int64")
    x = L.Embedding(VOCAB, 3, mask_zero=True)(inputs)
    outputs = L.LSTM(4, return_sequences=True, return_state=True,
                     zero_output_for_mask=True)(x)
    model = keras.Model(inputs, outputs)
    randomize(model)
    check_export(model, tmp_path, lambda batch: padded_ids(batch, padding))


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("sequences", [False, True])
def test_bidirectional_merge_modes(merge_mode, sequences, tmp_path):
    inputs = keras.Input((STEPS, 3))
    outputs = L.Bidirectional(L.GRU(4, return_sequences=sequences), merge_mode)(inputs)
    model = keras.Model(inputs, outputs)
    randomize(model)
    check_export(model, tmp_path, sequence_inputs)


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("merge_mode,sequences", [("concat", False), ("sum", True),
                                                  (None, True), ("ave", False)])
def test_bidirectional_with_masks_and_states(padding, merge_mode, sequences, tmp_path):
    inputs = keras.Input((STEPS,), dtype="int64")
    x = L.Embedding(VOCAB, 3, mask_zero=True)(inputs)
    outputs = L.Bidirectional(L.LSTM(3, return_sequences=sequences, return_state=True),
                              merge_mode)(x)
    model = keras.Model(inputs, outputs)
    randomize(model)
    check_export(model, tmp_path, lambda batch: padded_ids(batch, padding))


@pytest.mark.parametrize("pooling", [L.GlobalAveragePooling1D, L.GlobalMaxPooling1D])
@pytest.mark.parametrize("padding", ["pre", "post"])
def test_masked_global_pooling(pooling, padding, tmp_path):
    inputs = keras.Input((STEPS,), dtype="int64")
    x = L.Embedding(VOCAB, 3, mask_zero=True)(inputs)
    x = L.Dropout(0.3)(L.Activation("tanh")(x))  # both pass the mask on
    model = keras.Model(inputs, pooling()(x))
    randomize(model)
    check_export(model, tmp_path, lambda batch: padded_ids(batch, padding, min_length=1))


def test_embedding_of_float_ids(tmp_path):
    inputs = keras.Input((STEPS,))
    model = keras.Model(inputs, L.Embedding(VOCAB, 3)(inputs))
    check_export(model, tmp_path,
                 lambda batch: [padded_ids(batch, "post")[0].astype(np.float32)])


# ---------------------------------------------------------------- attention and transformer
def test_multi_head_attention_self_and_cross_with_scores(tmp_path):
    q, v = keras.Input((4, 6), name="q"), keras.Input((STEPS, 5), name="v")
    k = keras.Input((STEPS, 3), name="k")
    mha = L.MultiHeadAttention(2, 3, value_dim=4)
    cross, scores = mha(q, v, k, return_attention_scores=True)
    causal = L.MultiHeadAttention(3, 2, output_shape=(2, 3))(q, q, use_causal_mask=True)
    model = keras.Model([q, v, k], [cross, scores, causal])
    randomize(model)
    check_export(model, tmp_path)


def test_multi_head_attention_with_an_attention_mask_input(tmp_path):
    x = keras.Input((4, 6), name="x")
    mask = keras.Input((4, 4), name="mask")
    model = keras.Model([x, mask], L.MultiHeadAttention(2, 3)(x, x, attention_mask=mask))
    randomize(model)

    def make(batch):
        rng = np.random.default_rng(batch)
        return [rng.normal(size=(batch, 4, 6)).astype(np.float32),
                (rng.random((batch, 4, 4)) < 0.6).astype(np.float32)]

    check_export(model, tmp_path, make)


@pytest.mark.parametrize("mask_zero", [False, True])
def test_transformer_encoder_with_token_and_position_embedding(mask_zero, tmp_path):
    inputs = keras.Input((STEPS,), dtype="int64")
    x = L.TokenAndPositionEmbedding(STEPS, VOCAB, 8, mask_zero=mask_zero)(inputs)
    x = L.TransformerEncoder(8, 2, 16, dropout=0.1)(x)
    x = L.GlobalAveragePooling1D()(x)
    model = keras.Model(inputs, L.Dense(1, activation="sigmoid")(x))
    randomize(model)
    check_export(model, tmp_path, lambda batch: padded_ids(batch, "pre", min_length=1))


def test_positional_embedding_and_sinusoidal_encoding(tmp_path):
    inputs = keras.Input((STEPS,), dtype="int64")
    x = L.PositionalEmbedding(STEPS + 2, VOCAB, 4, mask_zero=True)(inputs)
    x = L.SinusoidalPositionEncoding()(x)
    x = L.MultiHeadAttention(2, 2)(x, x)  # the mask reaches attention through both
    model = keras.Model(inputs, x)
    randomize(model)
    check_export(model, tmp_path, lambda batch: padded_ids(batch, "post", min_length=1))


def test_sequences_of_unknown_length_export_with_a_dynamic_time_axis(tmp_path):
    import onnx

    inputs = keras.Input((None,), dtype="int64", name="ids")
    x = L.TokenAndPositionEmbedding(STEPS + 4, VOCAB, 4, mask_zero=True)(inputs)
    x = L.LSTM(3, return_sequences=True)(x)
    model = keras.Model(inputs, L.GlobalAveragePooling1D()(x))
    randomize(model)
    path = check_export(model, tmp_path, lambda batch: padded_ids(batch, "pre", min_length=1))
    dims = onnx.load(str(path)).graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_param for d in dims] == ["batch", "ids_dim1"]
    rng = np.random.default_rng(0)
    longer = rng.integers(1, VOCAB, (2, STEPS + 3)).astype(np.int64)
    longer[1, :4] = 0
    np.testing.assert_allclose(run_onnx(path, [longer])[0], model.predict(longer, verbose=0),
                               atol=1e-5, rtol=1e-4)
