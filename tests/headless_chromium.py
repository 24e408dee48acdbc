"""Debian's Chromium driven by Selenium, headless, for the tests that look at pages."""

from __future__ import annotations

import contextlib
import os
import shutil

import pytest


def _program(path: str, name: str):
    return path if os.path.exists(path) else shutil.which(name)


@contextlib.contextmanager
def chromium(width: int = 1100, height: int = 900):
    """A headless Chromium WebDriver (quit on exit); a clear failure when none is there."""
    try:
        from selenium import webdriver
    except ImportError:
        pytest.fail("the page test needs Selenium (pip install selenium)", pytrace=False)
    browser = _program("/usr/bin/chromium", "chromium")
    chromedriver = _program("/usr/bin/chromedriver", "chromedriver")
    if not browser or not chromedriver:
        pytest.fail("no Chromium found; apt-get install -y chromium chromium-driver",
                    pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     f"--window-size={width},{height}", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=chromedriver),
                              options=options)
    try:
        yield driver
    finally:
        driver.quit()
