"""The server's web page in headless Chromium: draw a digit, predict, compare with the API.

Debian's ``chromium`` and ``chromedriver`` and Selenium are needed; without them the test
fails and says how to install them.
"""

from __future__ import annotations

import os
import shutil

import httpx
import numpy as np
import pytest
from serving_support import Server, mnist_run

INSTALL = ("the page test needs Chromium and its WebDriver: apt-get install -y chromium "
           "chromium-driver (Debian), and Selenium (pip install selenium)")
SCREENSHOT = "/tmp/dlpath-serve-page.png"


def _program(path: str, name: str):
    return path if os.path.exists(path) else shutil.which(name)


@pytest.fixture(scope="module")
def browser():
    try:
        from selenium import webdriver
    except ImportError:
        pytest.fail(INSTALL, pytrace=False)
    chromium = _program("/usr/bin/chromium", "chromium")
    chromedriver = _program("/usr/bin/chromedriver", "chromedriver")
    if not chromium or not chromedriver:
        pytest.fail(f"no Chromium found; {INSTALL}", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--window-size=1100,900", "--disable-dev-shm-usage", "--lang=en-US"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=chromedriver),
                              options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(mnist_run(tmp_path_factory.mktemp("runs")).path).wait_ready()
    yield server
    assert server.stop() == 0


def draw_seven(driver, pad) -> None:
    """A '7' with the mouse: the top bar, then the diagonal stroke."""
    from selenium.webdriver.common.action_chains import ActionChains

    actions = ActionChains(driver, duration=10)
    actions.move_to_element_with_offset(pad, -70, -80).click_and_hold()
    for _ in range(14):
        actions.move_by_offset(10, 0)
    for _ in range(16):
        actions.move_by_offset(-5, 11)
    actions.release().perform()


def test_a_drawn_digit_shows_the_class_the_json_api_gives_for_its_pixels(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.url + "/")
    WebDriverWait(browser, 20).until(
        lambda d: d.execute_script("return document.documentElement.dataset.ready === 'true'"))
    assert browser.find_element(By.ID, "model-name").text == "mnist-cnn"
    assert browser.find_element(By.ID, "image-panel").is_displayed()
    assert not browser.find_element(By.ID, "text-panel").is_displayed()
    draw_seven(browser, browser.find_element(By.ID, "pad"))
    browser.find_element(By.ID, "predict").click()
    WebDriverWait(browser, 20).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#bars li")) == 10)
    shown = browser.find_element(By.ID, "top-class").text
    # The preview's pixels, read back from the page, sent to the API by the test itself.
    pixels = np.array(browser.execute_script(
        "const c = document.getElementById('preview');"
        "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        "return Array.from({length: c.width * c.height}, (_, i) => d[4 * i]);"),
        dtype=np.float32).reshape(28, 28)
    assert pixels.max() == 255 and (pixels > 0).mean() < 0.5  # a stroke, not a blank
    ys, xs = np.nonzero(pixels)
    # Framed as MNIST: the strokes' box scaled to 20 pixels (then moved by their mass).
    assert max(ys.max() - ys.min(), xs.max() - xs.min()) + 1 in (20, 21, 22)
    x = (pixels / 255.0)[None, :, :, None].tolist()
    outputs = httpx.post(server.url + "/v1/models/mnist-cnn:predict",
                         json={"instances": x}).json()["predictions"][0]
    assert shown == str(int(np.argmax(outputs)))
    bars = browser.find_elements(By.CSS_SELECTOR, "#bars li")
    assert bars[0].get_attribute("data-class") == shown
    assert bars[0].find_element(By.CSS_SELECTOR, ".value").text == \
        f"{100 * max(outputs):.1f}%"
    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []  # no CSP violation, no script error
    browser.find_element(By.ID, "language").click()
    assert browser.find_element(By.ID, "predict").text == "预测"
    browser.save_screenshot(SCREENSHOT)
