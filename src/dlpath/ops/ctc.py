r"""CTC with Keras' names, and decoding: best path (greedy) and prefix beam search.

The loss is the engine's (`dlpath.engine.ctc`); here are its Keras front ends:

- ``keras.backend.ctc_batch_cost(y_true, y_pred, input_length, label_length)``: softmax
  outputs (N, T, C), the blank is the last class, returns (N, 1). As in tf.keras, the
  predictions are taken as logits log(y_pred + epsilon) and renormalised by a softmax; when
  ``y_pred`` comes straight out of a softmax its logits are used instead (same value, exact
  and fused gradient);
- ``keras.ops.ctc_loss(target, output, target_length, output_length, mask_index=0)``
  (Keras 3): logits (N, T, C), returns (N,).

Decoding works on NumPy arrays of log-probabilities (N, T, C):

- **best path**: the most likely class of each frame, repeats merged, blanks dropped; its
  score is sum_t max_k log y_t(k);
- **prefix beam search** (Hannun, Maas, Jurafsky & Ng 2014, "First-Pass Large Vocabulary
  Continuous Speech Recognition using Bi-Directional Recurrent DNNs", arXiv:1408.2873,
  without a language model): every prefix ρ keeps the probability of the frames so far
  ending in a blank, p_b(ρ), and ending in its last label, p_nb(ρ). At frame t, for a label
  k with last(ρ) = the final label of ρ:

  .. math::

      p_b^t(\rho) = (p_b^{t-1}(\rho) + p_{nb}^{t-1}(\rho))\, y_t(b), \qquad
      p_{nb}^t(\rho) \mathrel{+}= p_{nb}^{t-1}(\rho)\, y_t(\mathrm{last}(\rho))

      p_{nb}^t(\rho k) \mathrel{+}= y_t(k) \cdot \begin{cases}
          p_b^{t-1}(\rho) & k = \mathrm{last}(\rho) \\
          p_b^{t-1}(\rho) + p_{nb}^{t-1}(\rho) & \text{otherwise} \end{cases}

  and only the ``beam_width`` prefixes with the largest p_b + p_nb are kept. The score of
  a result is log(p_b + p_nb): the total probability of its alignments that the beam kept.
  A label repeated across a blank stays repeated ("1 _ 1" is "11"), as CTC defines it.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.ctc import ctc_nll, logits_of_softmax
from dlpath.ops._convert import convert_to_tensor
from dlpath.ops.config import epsilon


# ---------------------------------------------------------------- the losses
def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    """tf.keras' CTC loss of each sample, (N, 1): y_true (N, max_label), y_pred (N, T, C)
    softmax outputs, input_length and label_length (N, 1). The blank is class C - 1."""
    y_pred = convert_to_tensor(y_pred)
    if y_pred.ndim != 3:
        raise ValueError(f"ctc_batch_cost: y_pred must be 3-D (samples, time_steps, "
                         f"classes), got shape {y_pred.shape}")
    logits = logits_of_softmax(y_pred)
    if logits is None:
        logits = (y_pred + epsilon()).log()
    losses = ctc_nll(logits, y_true, input_length, label_length, blank=y_pred.shape[-1] - 1,
                     from_logits=True, owner="ctc_batch_cost")
    return losses.reshape(-1, 1)


def ctc_loss(target, output, target_length, output_length, mask_index: int = 0):
    """Keras 3's ``keras.ops.ctc_loss``: logits ``output`` (N, T, C), labels ``target``
    (N, max_label); the blank is ``mask_index``. Returns the loss of each sample, (N,)."""
    output = convert_to_tensor(output)
    logits = logits_of_softmax(output)
    return ctc_nll(output if logits is None else logits, target, output_length,
                   target_length, blank=mask_index, from_logits=True, owner="ctc_loss")


# ---------------------------------------------------------------- decoding
def _check_decoding(owner: str, log_probs, lengths, blank):
    log_probs = np.asarray(log_probs, dtype=np.float64)
    if log_probs.ndim != 3:
        raise ValueError(f"{owner}: the predictions must be 3-D (batch, time, classes), got "
                         f"shape {log_probs.shape}")
    batch, steps, classes = log_probs.shape
    lengths = np.asarray(lengths if lengths is not None else steps).reshape(-1)
    if lengths.size == 1:
        lengths = np.full(batch, lengths[0])
    if lengths.shape != (batch,):
        raise ValueError(f"{owner}: expected one sequence length per sample ({batch},), got "
                         f"shape {lengths.shape}")
    lengths = lengths.astype(np.int64)
    if batch and (lengths.min() < 0 or lengths.max() > steps):
        raise ValueError(f"{owner}: sequence lengths must lie in 0..{steps}, got "
                         f"{lengths.min()}..{lengths.max()}")
    blank = classes + blank if blank < 0 else blank
    if not 0 <= blank < classes:
        raise ValueError(f"{owner}: blank index {blank} is outside the {classes} classes")
    return log_probs, lengths, blank


def greedy_decode(log_probs, lengths=None, blank: int = 0, merge_repeated: bool = True):
    """Best-path decoding of (N, T, C) log-probabilities.

    Returns ``(sequences, scores)``: one list of class ids per sample, and (N,) scores
    sum_t max_k log y_t(k) over each sample's frames.
    """
    log_probs, lengths, blank = _check_decoding("greedy_decode", log_probs, lengths, blank)
    best = log_probs.argmax(axis=-1)  # (N, T)
    sequences, scores = [], np.zeros(len(best))
    for n, (path, length) in enumerate(zip(best, lengths)):
        path = path[:length]
        scores[n] = log_probs[n, np.arange(length), path].sum()
        keep = path != blank
        if merge_repeated:
            keep &= np.concatenate([[True], path[1:] != path[:-1]])
        sequences.append(path[keep].tolist())
    return sequences, scores


def _beam_one(log_probs: np.ndarray, beam_width: int, blank: int) -> list:
    """Prefix beam search over one sample's (T, C) log-probabilities: [(prefix, score)]."""
    beams = {(): (0.0, -np.inf)}  # prefix -> (log p_b, log p_nb)
    classes = log_probs.shape[1]
    for frame in log_probs:
        grown: dict = {}

        def add(prefix, blank_part, label_part):
            old_b, old_nb = grown.get(prefix, (-np.inf, -np.inf))
            grown[prefix] = (np.logaddexp(old_b, blank_part), np.logaddexp(old_nb, label_part))

        for prefix, (p_b, p_nb) in beams.items():
            total = np.logaddexp(p_b, p_nb)
            last = prefix[-1] if prefix else None
            add(prefix, total + frame[blank], -np.inf)        # a blank: the prefix stays
            for k in range(classes):
                if k == blank:
                    continue
                if k == last:
                    add(prefix, -np.inf, p_nb + frame[k])     # a repeat merges
                    add(prefix + (k,), -np.inf, p_b + frame[k])  # after a blank: a new label
                else:
                    add(prefix + (k,), -np.inf, total + frame[k])
        ranked = sorted(grown.items(), key=lambda item: -np.logaddexp(*item[1]))
        beams = dict(ranked[:beam_width])
    ranked = sorted(beams.items(), key=lambda item: -np.logaddexp(*item[1]))
    return [(list(prefix), float(np.logaddexp(*parts))) for prefix, parts in ranked]


def beam_search_decode(log_probs, lengths=None, beam_width: int = 100, top_paths: int = 1,
                       blank: int = 0):
    """Prefix beam search of (N, T, C) log-probabilities (see the module docstring).

    Returns ``(paths, scores)``: ``paths[j][n]`` is the j-th best label sequence of sample
    n (a list of class ids), ``scores`` (N, top_paths) their log-probabilities (-inf where
    the beam held fewer than ``top_paths`` prefixes).
    """
    log_probs, lengths, blank = _check_decoding("beam_search_decode", log_probs, lengths,
                                                blank)
    if beam_width < 1 or not 1 <= top_paths <= beam_width:
        raise ValueError(f"beam_search_decode: need beam_width >= 1 and 1 <= top_paths <= "
                         f"beam_width, got beam_width={beam_width}, top_paths={top_paths}")
    paths = [[] for _ in range(top_paths)]
    scores = np.full((len(log_probs), top_paths), -np.inf)
    for n, length in enumerate(lengths):
        found = _beam_one(log_probs[n, :length], beam_width, blank)
        for j in range(top_paths):
            prefix, score = found[j] if j < len(found) else ([], -np.inf)
            paths[j].append(prefix)
            scores[n, j] = score
    return paths, scores


def _dense(sequences: list, width: int) -> np.ndarray:
    """Label sequences as an (N, width) int array padded with -1."""
    out = np.full((len(sequences), width), -1, dtype=np.int64)
    for n, sequence in enumerate(sequences):
        out[n, :len(sequence)] = sequence[:width]
    return out


def _array(values) -> np.ndarray:
    values = values.data if hasattr(values, "data") else values
    return np.asarray(values, dtype=np.float64)


def ctc_decode(y_pred, input_length, greedy: bool = True, beam_width: int = 100,
               top_paths: int = 1):
    """tf.keras' ``backend.ctc_decode`` of softmax outputs (N, T, C); the blank is C - 1.

    Returns ``(decoded, log_prob)``: a list of (N, T) int arrays padded with -1 (one for
    greedy, ``top_paths`` for beam search), and (N, 1) negative summed log-probabilities
    of the best paths (greedy) or (N, top_paths) log-probabilities (beam search).
    """
    y_pred = _array(y_pred)
    if y_pred.ndim != 3:
        raise ValueError(f"ctc_decode: y_pred must be 3-D (samples, time_steps, classes), "
                         f"got shape {y_pred.shape}")
    log_probs = np.log(y_pred + epsilon())
    lengths = _array(input_length)
    steps = y_pred.shape[1]
    if greedy:
        sequences, scores = greedy_decode(log_probs, lengths, blank=-1)
        return [_dense(sequences, steps)], -scores[:, None]
    paths, scores = beam_search_decode(log_probs, lengths, beam_width, top_paths, blank=-1)
    return [_dense(sequences, steps) for sequences in paths], scores


def ctc_decode_keras3(inputs, sequence_lengths, strategy: str = "greedy",
                      beam_width: int = 100, top_paths: int = 1, merge_repeated: bool = True,
                      mask_index: int = 0):
    """Keras 3's ``keras.ops.ctc_decode`` of logits (N, T, C) (log-softmax taken here).

    Returns ``(decoded, scores)``: decoded (top_paths, N, T) padded with -1 ((1, N, T) for
    greedy); scores (N, 1) negative summed log-probabilities (greedy) or (N, top_paths)
    log-probabilities (beam search).
    """
    logits = _array(inputs)
    if logits.ndim != 3:
        raise ValueError(f"ctc_decode: inputs must be 3-D (batch, max_length, classes), got "
                         f"shape {logits.shape}")
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    lengths = _array(sequence_lengths)
    steps = logits.shape[1]
    if strategy == "greedy":
        sequences, scores = greedy_decode(log_probs, lengths, mask_index, merge_repeated)
        return _dense(sequences, steps)[None], -scores[:, None]
    if strategy == "beam_search":
        paths, scores = beam_search_decode(log_probs, lengths, beam_width, top_paths,
                                           mask_index)
        return np.stack([_dense(sequences, steps) for sequences in paths]), scores
    raise ValueError(f"ctc_decode: strategy must be 'greedy' or 'beam_search', got "
                     f"{strategy!r}")


__all__ = ["ctc_batch_cost", "ctc_loss", "ctc_decode", "ctc_decode_keras3", "greedy_decode",
           "beam_search_decode"]
