import numpy as np


def softplus(z):
    """softplus(z) = log(1 + exp(z)), element-wise, stable: max(z, 0) + log1p(exp(-|z|)).

    Note -log(sigmoid(z)) = softplus(-z) and -log(1 - sigmoid(z)) = softplus(z).
    z: array of any shape; returns an array of z's shape and dtype.
    """
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def sigmoid(z):
    """sigma(z) = 1 / (1 + exp(-z)), element-wise, stable; shape and dtype of z."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(z.dtype)


def discriminator_loss(real_logits, fake_logits):
    """The discriminator's loss: binary cross-entropy from logits, label 1 for the real
    samples and 0 for the generated ones, each averaged over its own samples.

        L_D = mean(-log sigma(r)) + mean(-log(1 - sigma(f)))
            = mean(softplus(-r)) + mean(softplus(f))
        dL_D/dr = (sigma(r) - 1) / N_r,    dL_D/df = sigma(f) / N_f

    real_logits: D's logits r on real samples (any shape, N_r elements); fake_logits: its
    logits f on generated samples (N_f elements). Returns (loss, d_real, d_fake): a float
    and two arrays of the logits' shapes and dtypes.
    """
    loss = softplus(-real_logits).mean() + softplus(fake_logits).mean()
    d_real = (sigmoid(real_logits) - 1) / real_logits.size
    d_fake = sigmoid(fake_logits) / fake_logits.size
    return float(loss), d_real, d_fake


def generator_loss_minimax(fake_logits):
    """The generator's loss of the original minimax game (Goodfellow et al. 2014), which
    the generator MINIMIZES:

        L_G = mean(log(1 - sigma(f))) = -mean(softplus(f)),    dL_G/df = -sigma(f) / N

    It saturates: when D confidently rejects the fakes (f very negative) the gradient
    vanishes. fake_logits: any shape, N elements. Returns (loss, d_fake).
    """
    loss = -softplus(fake_logits).mean()
    return float(loss), -sigmoid(fake_logits) / fake_logits.size


def generator_loss_nonsaturating(fake_logits):
    """The non-saturating generator loss used in practice:

        L_G = mean(-log sigma(f)) = mean(softplus(-f)),    dL_G/df = (sigma(f) - 1) / N

    (BCE with label 1 on the fakes). Its gradient is about -1 / N when f is very negative,
    exactly where the minimax loss gives none. Returns (loss, d_fake).
    """
    loss = softplus(-fake_logits).mean()
    return float(loss), (sigmoid(fake_logits) - 1) / fake_logits.size
