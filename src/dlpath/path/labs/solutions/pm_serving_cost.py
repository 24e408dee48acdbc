import math

BYTES_PER_PARAMETER = 4       # float32
HOURS_PER_MONTH = 730         # 24 * 365 / 12


def model_memory_gib(params):
    """The memory of a float32 model's weights, in GiB: 4 bytes per parameter,
    1 GiB = 1024^3 bytes.

        memory_gib = 4 * params / 1024^3
    """
    return BYTES_PER_PARAMETER * params / 1024 ** 3


def batch_latency(flops_per_sample, batch_size, device_flops):
    """The seconds one device takes for one batch, at its throughput device_flops (FLOP/s):

        latency_s = batch_size * flops_per_sample / device_flops
    """
    return batch_size * flops_per_sample / device_flops


def devices_needed(flops_per_sample, batch_size, device_flops, requests_per_second):
    """How many devices keep up with the traffic. One device serves batch_size requests
    every batch_latency seconds; the count is rounded up, and is at least 1:

        per_device = batch_size / batch_latency(flops_per_sample, batch_size, device_flops)
        devices    = max(1, ceil(requests_per_second / per_device))

    Returns a Python int.
    """
    per_device = batch_size / batch_latency(flops_per_sample, batch_size, device_flops)
    return max(1, math.ceil(requests_per_second / per_device))


def monthly_cost(devices, price_per_hour):
    """The cost of running the devices all month: devices * price_per_hour * 730
    (730 hours = 24 * 365 / 12, an average month)."""
    return devices * price_per_hour * HOURS_PER_MONTH


def serving_plan(params, flops_per_sample, device_flops, batch_size, requests_per_second,
                 price_per_hour):
    """The serving plan of a model, from the functions above: a dict with
    "memory_gib", "latency_s" (per batch), "devices" and "monthly_cost"."""
    devices = devices_needed(flops_per_sample, batch_size, device_flops, requests_per_second)
    return {"memory_gib": model_memory_gib(params),
            "latency_s": batch_latency(flops_per_sample, batch_size, device_flops),
            "devices": devices,
            "monthly_cost": monthly_cost(devices, price_per_hour)}
