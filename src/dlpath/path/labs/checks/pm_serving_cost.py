"""Checks of the pm-serving-cost lab: model memory, batch latency, device count and monthly
cost against the formulas of the task, on random magnitudes (kept away from whole-number
loads, where rounding up is decided by the last bit), an exact whole load, tiny traffic
and none."""

import math

import numpy as np

from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["model_memory_gib", "batch_latency", "devices_needed", "monthly_cost",
             "serving_plan"]
HOURS = 730


def _as_number(case, value, what):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        if not (isinstance(value, np.ndarray) and value.size == 1):
            case.fail("wrong_type", name=what, expected="a number", type=type(value).__name__)
    return float(value)


def _model(rng):
    """Magnitudes of a real service: 1e6..1e10 parameters, 2 FLOPs per parameter per sample."""
    params = int(10 ** rng.uniform(6, 10))
    return {"params": params, "flops_per_sample": 2.0 * params,
            "device_flops": float(10 ** rng.uniform(12, 14.5)),
            "batch_size": int(rng.choice([1, 8, 16, 32, 64])),
            "price_per_hour": float(np.round(rng.uniform(0.5, 8.0), 2))}


def _traffic(rng, m, low=1.5, high=40.0):
    """Requests per second for a load of a random, non-whole number of devices."""
    load = rng.uniform(low, high)
    load = math.floor(load) + 0.1 + 0.8 * (load % 1)  # fractional part in [0.1, 0.9]
    return load * m["device_flops"] / m["flops_per_sample"]


@check("memory")
def memory(learner, rng):
    for _ in range(3):
        params = int(10 ** rng.uniform(5, 11))
        case = Case(learner.model_memory_gib, f"params = {params}")
        value = _as_number(case, case.call(params), "the memory")
        bytes_ = 4 * params
        case.expect_close("the memory", value, bytes_ / 1024 ** 3, rtol=1e-12, atol=0,
                          mistakes={"gb_not_gib": bytes_ / 1e9, "mib_not_gib": bytes_ / 1024 ** 2,
                                    "bits_not_bytes": 32 * params / 1024 ** 3,
                                    "float64_bytes": 8 * params / 1024 ** 3,
                                    "forgot_bytes": params / 1024 ** 3})


@check("latency")
def latency(learner, rng):
    for _ in range(3):
        m = _model(rng)
        m["batch_size"] = int(rng.choice([8, 16, 32, 64]))
        case = Case(learner.batch_latency, f"flops_per_sample {m['flops_per_sample']:.3g}, "
                                           f"batch_size {m['batch_size']}, device_flops "
                                           f"{m['device_flops']:.3g}")
        value = _as_number(case, case.call(m["flops_per_sample"], m["batch_size"],
                                           m["device_flops"]), "the latency")
        per_sample = m["flops_per_sample"] / m["device_flops"]
        case.expect_close("the latency", value, m["batch_size"] * per_sample, rtol=1e-12,
                          atol=0, mistakes={"latency_per_sample": per_sample,
                                            "milliseconds": 1000 * m["batch_size"] * per_sample,
                                            "latency_inverted": 1 / (m["batch_size"]
                                                                     * per_sample)})


def _expect_devices(learner, m, rps, expected, description):
    case = Case(learner.devices_needed, description)
    value = case.call(m["flops_per_sample"], m["batch_size"], m["device_flops"], rps)
    number = _as_number(case, value, "the device count")
    if number != int(number):
        case.fail("devices_not_whole", value=number)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        case.fail("devices_not_int", type=type(value).__name__)
    load = rps * m["flops_per_sample"] / m["device_flops"]
    if number == expected:
        return
    if number == 0:
        case.fail("zero_devices", load=load)
    if number == math.floor(load):
        case.fail("rounded_down", value=int(number), load=load, expected=expected)
    if number == math.ceil(load * m["batch_size"]) and m["batch_size"] > 1:
        case.fail("throughput_per_batch", value=int(number), expected=expected,
                  batch=m["batch_size"])
    if number == math.floor(load) + 1 and load == math.floor(load):
        case.fail("ceil_plus_one", value=int(number), load=load, expected=expected)
    case.fail("wrong_devices", value=int(number), load=load, expected=expected)


@check("devices")
def devices(learner, rng):
    for _ in range(3):
        m = _model(rng)
        m["batch_size"] = int(rng.choice([8, 16, 32]))
        rps = _traffic(rng, m)
        expected = math.ceil(rps * m["flops_per_sample"] / m["device_flops"])
        _expect_devices(learner, m, rps, expected,
                        f"flops_per_sample {m['flops_per_sample']:.3g}, batch_size "
                        f"{m['batch_size']}, device_flops {m['device_flops']:.3g}, "
                        f"{rps:.4g} requests/s")


@check("devices-edge-cases")
def devices_edge_cases(learner, rng):
    # A whole load in powers of two, exact in floating point: 4 devices, not 5.
    k = int(rng.integers(0, 3))
    m = {"flops_per_sample": 2.0 ** 30, "batch_size": 8, "device_flops": 2.0 ** 40}
    rps = 2.0 ** (12 + k)
    _expect_devices(learner, m, rps, 4 * 2 ** k,
                    f"flops_per_sample 2^30, batch_size 8, device_flops 2^40, 2^{12 + k} "
                    f"requests/s (a load of exactly {4 * 2 ** k} devices)")
    m = _model(rng)
    _expect_devices(learner, m, 0.01 * m["device_flops"] / m["flops_per_sample"], 1,
                    "traffic for 1% of one device")
    _expect_devices(learner, m, 0.0, 1, "no traffic at all (0 requests/s)")


@check("monthly-cost")
def monthly(learner, rng):
    for _ in range(2):
        devices, price = int(rng.integers(1, 50)), float(np.round(rng.uniform(0.5, 8.0), 2))
        case = Case(learner.monthly_cost, f"{devices} devices at {price:g} per hour")
        value = _as_number(case, case.call(devices, price), "the monthly cost")
        hourly = devices * price
        case.expect_close("the monthly cost", value, hourly * HOURS, rtol=1e-12, atol=0,
                          mistakes={"hours_720": hourly * 720, "hours_744": hourly * 744,
                                    "days_not_hours": hourly * 30, "per_device": price * HOURS})


@check("serving-plan")
def serving_plan(learner, rng):
    m = _model(rng)
    rps = _traffic(rng, m)
    args = (m["params"], m["flops_per_sample"], m["device_flops"], m["batch_size"], rps,
            m["price_per_hour"])
    case = Case(learner.serving_plan, f"params {m['params']}, batch_size {m['batch_size']}, "
                                      f"{rps:.4g} requests/s, {m['price_per_hour']:g} per hour")
    plan = case.call(*args)
    keys = {"memory_gib", "latency_s", "devices", "monthly_cost"}
    if not isinstance(plan, dict) or set(plan) != keys:
        case.fail("plan_keys", actual=sorted(plan) if isinstance(plan, dict) else type(plan)
                  .__name__, expected=sorted(keys))
    devices = math.ceil(rps * m["flops_per_sample"] / m["device_flops"])
    expected = {"memory_gib": 4 * m["params"] / 1024 ** 3,
                "latency_s": m["batch_size"] * m["flops_per_sample"] / m["device_flops"],
                "devices": devices, "monthly_cost": devices * m["price_per_hour"] * HOURS}
    for key in ("memory_gib", "latency_s", "devices", "monthly_cost"):
        value = _as_number(case, plan[key], f'plan["{key}"]')
        case.expect_close(f'plan["{key}"]', value, expected[key], rtol=1e-12, atol=0)
