def train_step(model, optimizer, loss_fn, x, y):
    """One gradient step on one batch; returns the batch's loss before the update (a float).

    1. y_pred = model(x, training=True)        forward pass in training mode
    2. loss = loss_fn(y, y_pred)               a scalar Tensor (targets first)
    3. loss.backward()                         v.grad = d loss / d v for every variable v
    4. optimizer.apply([v.grad for v in variables], variables),
       with variables = model.trainable_weights
    5. optimizer.zero_grad(variables)          backward adds to .grad: clear it for the next step
    """
    y_pred = model(x, training=True)
    loss = loss_fn(y, y_pred)
    variables = model.trainable_weights
    loss.backward()
    optimizer.apply([v.grad for v in variables], variables)
    optimizer.zero_grad(variables)
    return float(loss.data)


def train_epoch(model, optimizer, loss_fn, x, y, batch_size=32):
    """One epoch: the batches x[0:b], x[b:2b], ... in order (the last one may be smaller),
    one train_step each, as model.fit(x, y, batch_size=b, epochs=1, shuffle=False) does.

    Returns the list of the batch losses, one float per batch (ceil(N / b) of them).
    """
    losses = []
    for start in range(0, len(x), batch_size):
        batch = slice(start, start + batch_size)
        losses.append(train_step(model, optimizer, loss_fn, x[batch], y[batch]))
    return losses
