"""The learning path web page: self-contained, the document's data, and what a browser shows.

The browser tests drive Debian's headless Chromium with Selenium; without the browser they
fail and say how to install it.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
from html.parser import HTMLParser

import pytest

from dlpath.path.views import html as page

INSTALL = ("the web page tests need Chromium and its WebDriver: apt-get install -y chromium "
           "chromium-driver (Debian), and Selenium in the environment (pip install selenium)")
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
ROLES = ("algorithm-engineer", "data-scientist", "ml-engineer", "product-manager")


# ---------------------------------------------------------------------- a small document
def _skill(id, stage, title, *, prerequisites=(), depth, labs=(), lab_states=None, state,
           verified_at=None, needs=None, text="A skill.", formulas=(), code=(), recipes=(),
           references=()):
    lab_states = dict(lab_states or {})
    return {"id": id, "stage": stage, "title": title, "text": text,
            "prerequisites": list(prerequisites), "depth": dict(depth),
            "formulas": [dict(f) for f in formulas], "code": list(code), "labs": list(labs),
            "recipes": list(recipes), "references": [dict(r) for r in references],
            "state": state, "verified_at": verified_at, "lab_states": lab_states,
            "needs": list(labs if needs is None else needs)}


SHANNON = {"key": "shannon1948", "authors": ["Claude E. Shannon"], "year": 1948,
           "title": "A Mathematical Theory of Communication",
           "venue": "Bell System Technical Journal 27(3), 379-423",
           "url": "https://doi.org/10.1002/j.1538-7305.1948.tb01338.x"}
KULLBACK = {"key": "kullback1951", "authors": ["Solomon Kullback", "Richard A. Leibler"],
            "year": 1951, "title": "On Information and Sufficiency",
            "venue": "The Annals of Mathematical Statistics 22(1), 79-86", "url": None}
VECTORS_TEXT = (
    "A *vector* $x \\in \\mathbb{R}^n$ is a list of **numbers**; `matmul` multiplies.\n"
    "Shapes: $(m \\times k)(k \\times n) \\to (m \\times n)$.\n\n"
    "- rows are samples\n- columns are features\n\n"
    "Not markup: <script>alert('x')</script> & <b>bold</b>.\n")


def fixture_document(lang: str = "en") -> dict:
    zh = lang == "zh"
    vectors = _skill(
        "vectors", "mathematics", "向量与矩阵" if zh else "Vectors and matrices",
        depth={"algorithm-engineer": "implement", "data-scientist": "implement",
               "ml-engineer": "implement", "product-manager": "aware"},
        labs=["quiz-math", "matmul-lab"],
        lab_states={"quiz-math": "passed", "matmul-lab": "passed"},
        state="verified", verified_at="2025-03-02T10:00:00.000+00:00", text=VECTORS_TEXT,
        formulas=[{"name": "Matrix product", "code": "dlpath.engine.ops.matmul:matmul",
                   "tex": "C_{ij} = \\sum_{k} A_{ik} B_{kj}"},
                  {"name": "Broken", "code": None, "tex": "\\frac{a}{"}],
        code=["dlpath.engine.ops.matmul"], recipes=["mnist-mlp"],
        references=[SHANNON, KULLBACK])
    chain = _skill(
        "chain-rule", "mathematics", "链式法则" if zh else "The chain rule",
        prerequisites=["vectors"],
        depth={"algorithm-engineer": "implement", "data-scientist": "explain",
               "ml-engineer": "implement", "product-manager": "aware"},
        labs=["quiz-math", "numgrad"], lab_states={"quiz-math": "passed", "numgrad": "failed"},
        state="in-progress")
    check = _skill(
        "gradient-check", "mathematics", "梯度检验" if zh else "Checking a gradient",
        prerequisites=["chain-rule", "vectors"],
        depth={"algorithm-engineer": "implement", "ml-engineer": "implement"},
        labs=["numgrad"], lab_states={"numgrad": "failed"}, state="in-progress")
    dense = _skill(
        "dense-layers", "networks", "全连接层" if zh else "Dense layers",
        prerequisites=["vectors"],
        depth={role: "implement" for role in ROLES[:3]} | {"product-manager": "aware"},
        state="not-started")
    backprop = _skill(
        "backprop", "networks", "反向传播" if zh else "Back-propagation",
        prerequisites=["chain-rule", "dense-layers"],
        depth={"algorithm-engineer": "implement", "data-scientist": "explain",
               "ml-engineer": "ship"},
        labs=["mnist-project"], lab_states={"mnist-project": "started"}, state="in-progress")
    serving = _skill(
        "serving", "deployment", "模型上线" if zh else "Serving a model",
        prerequisites=["backprop"],
        depth={"ml-engineer": "ship", "product-manager": "explain"},
        labs=["quiz-deploy"], lab_states={"quiz-deploy": "not-started"}, state="not-started")
    stages = [
        {"id": "mathematics", "order": 1, "title": "数学" if zh else "Mathematics",
         "summary": "向量、导数与概率。" if zh else "Vectors, derivatives, probability.",
         "prerequisites": [], "verified": 1, "total": 3, "skills": [vectors, chain, check]},
        {"id": "networks", "order": 2, "title": "神经网络" if zh else "Neural networks",
         "summary": "层与反向传播。" if zh else "Layers and back-propagation.",
         "prerequisites": ["mathematics"], "verified": 0, "total": 2,
         "skills": [dense, backprop]},
        {"id": "deployment", "order": 3, "title": "部署" if zh else "Deployment",
         "summary": "把模型交给用户。" if zh else "Putting a model in front of users.",
         "prerequisites": ["mathematics", "networks"], "verified": 0, "total": 1,
         "skills": [serving]},
    ]
    titles = {"algorithm-engineer": ("算法工程师", "Algorithm engineer"),
              "data-scientist": ("数据科学家", "Data scientist"),
              "ml-engineer": ("机器学习工程师", "ML engineer"),
              "product-manager": ("产品经理", "Product manager")}
    all_skills = [s for stage in stages for s in stage["skills"]]
    roles = [{"id": role, "title": titles[role][0 if zh else 1],
              "summary": "Builds things." if not zh else "做东西。",
              "responsibilities": ["One duty", "Another duty"],
              "skills": {s["id"]: s["depth"][role] for s in all_skills if role in s["depth"]},
              "labs": sorted({lab for s in all_skills if role in s["depth"] for lab in s["labs"]})}
             for role in ROLES]
    labs = {"quiz-math": {"title": "Mathematics quiz", "kind": "quiz", "stage": "mathematics",
                          "state": "passed"},
            "matmul-lab": {"title": "Matrix product", "kind": "code", "stage": "mathematics",
                           "state": "passed"},
            "numgrad": {"title": "Numerical gradient", "kind": "code", "stage": "mathematics",
                        "state": "failed"},
            "mnist-project": {"title": "An MNIST model", "kind": "project", "stage": "networks",
                              "state": "started"},
            "quiz-deploy": {"title": "Deployment quiz", "kind": "quiz", "stage": "deployment",
                            "state": "not-started"}}
    return {"lang": lang, "role": None, "depths": ["aware", "explain", "implement", "ship"],
            "stages": stages, "roles": roles, "labs": labs}


def script_data(text: str, element_id: str):
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>',
                      text, re.S)
    assert match, f"no <script id={element_id}> in the page"
    return json.loads(match.group(1))


# ---------------------------------------------------------------------- the page as text
def test_page_is_self_contained():
    text = page.render_page(fixture_document())
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script[^>]*\bsrc=", text, re.I)
    assert not re.search(r"<link\b", text, re.I)
    assert not re.search(r"@import|@font-face", text, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text, re.I)
    assert not re.search(r"\b(src|srcset|poster|data)\s*=\s*['\"]?(https?:)?//", text, re.I)
    assert "fetch(" not in text and "XMLHttpRequest" not in text and "import(" not in text
    assert "default-src 'none'" in text  # the browser refuses any load the page might try
    # The only http(s) addresses are the references' links.
    hrefs = re.findall(r"https?://[^\s\"'<>]+", text)
    assert set(hrefs) <= {SHANNON["url"], "http://www.w3.org/2000/svg"}


def test_embedded_document_is_the_document():
    document = fixture_document()
    before = copy.deepcopy(document)
    text = page.render_page(document)
    assert document == before  # not changed in place
    embedded = script_data(text, page.DOCUMENT_ID)
    assert page.strip_added_fields(embedded) == document
    skill = embedded["stages"][0]["skills"][0]
    assert set(skill) == set(document["stages"][0]["skills"][0]) | {"text_html"}
    config = script_data(text, page.CONFIG_ID)
    assert config["strings"]["role_label"] == "Role"
    assert config["depth_of_kind"]["quiz"] == "explain"


def test_formulas_are_mathml_and_unreadable_tex_falls_back():
    embedded = script_data(page.render_page(fixture_document()), page.DOCUMENT_ID)
    good, broken = embedded["stages"][0]["skills"][0]["formulas"]
    assert good["mathml"].startswith('<math display="block">')
    assert "<msub>" in good["mathml"] and "&#8721;" in good["mathml"] or "∑" in good["mathml"]
    assert "mathml" not in broken  # the page shows its TeX as code
    assert page.tex_to_mathml("\\frac{a}{") is None
    assert page.tex_to_mathml("\\notacommand{x}") is None
    # set as TeX sets them: an upright d, a thin space after log, norms that do not stretch
    assert "<mtext>d</mtext>" in page.tex_to_mathml("\\mathrm{d}x")
    assert '<mi>log</mi><mspace width="0.1667em" /><mi>q</mi>' in page.tex_to_mathml(
        "p(x) \\log q(x)")
    assert '<mo stretchy="false">\u2016</mo>' in page.tex_to_mathml(
        "\\lVert x \\rVert = \\sqrt{\\sum_i x_i^2}")


def test_tex_cannot_put_markup_into_the_page():
    for tex in ("\\text{<script>alert(1)</script>}", "\\text{<b>&</b>}", "a < b"):
        mathml = page.tex_to_mathml(tex)
        assert mathml is None or ("<script" not in mathml and "<b>" not in mathml)
    assert "&lt;" in page.tex_to_mathml("a < b")


def test_markdown_subset_and_escaping():
    rendered = page.markdown_to_html(VECTORS_TEXT)
    assert "<em>vector</em>" in rendered and "<strong>numbers</strong>" in rendered
    assert "<code>matmul</code>" in rendered
    assert "<ul>" in rendered and "<li>rows are samples</li>" in rendered
    assert rendered.count("<math") == 2  # inline $...$ math
    assert "<script>" not in rendered and "<b>" not in rendered
    assert "&lt;script&gt;" in rendered and "&amp;" in rendered
    # inline math with underscores and stars is not read as emphasis
    assert "<em>" not in page.markdown_to_html("$a_i * b_i$ and $c_i * d_i$")
    # a price is not math
    assert "<math" not in page.markdown_to_html("costs $5 and $6 each")
    # math broken over lines stays math, even where a line of it looks like a list item
    rendered = page.markdown_to_html("the rate $a = b / (c\n+ d)$ and\n$x$.")
    assert "<ul>" not in rendered and rendered.count("<math") == 2
    # commands the converter leaves as names
    assert "\\" not in page.tex_to_mathml("\\arg\\min_\\theta \\big\\lVert x \\big\\rVert")
    # unconvertible inline math is shown as its TeX
    assert '<code class="tex">\\frac{a}{</code>' in page.markdown_to_html("see $\\frac{a}{$ here")


def test_fallback_markdown_converter_matches_the_subset():
    rendered = page._markdown_fallback(VECTORS_TEXT)
    assert "<em>vector</em>" in rendered and "<strong>numbers</strong>" in rendered
    assert "<code>matmul</code>" in rendered and "<li>columns are features</li>" in rendered
    assert rendered.count("<math") == 2
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered


def test_chinese_line_breaks_add_no_space():
    rendered = page.markdown_to_html(
        "神经网络是一长串\n矩阵乘法。维度对不上：\n$x$ 是向量，\nKeras 也一样。")
    assert "一长串矩阵乘法" in rendered
    assert "对不上：<math" in rendered
    assert "向量，Keras" in rendered
    # a line folded by YAML (>) leaves a space between two characters: it goes too
    assert "用有限差分检验梯度" in page.markdown_to_html("用有限差分 检验梯度")
    assert "KL 散度" in page.markdown_to_html("KL 散度")
    assert "one\nline" in page.markdown_to_html("one\nline")  # English keeps its space


def test_content_cannot_close_the_script_block():
    document = fixture_document()
    evil = "</script><script>alert(1)</script><!--<script>"
    document["stages"][0]["skills"][0]["title"] = evil
    document["stages"][0]["title"] = "{{js}} {{document_json}}"
    text = page.render_page(document)
    assert text.count("</script>") == 3  # the two JSON blocks and the page's script
    assert "<!--" not in text

    class Scripts(HTMLParser):
        found: list = []

        def handle_starttag(self, tag, attrs):
            if tag == "script":
                self.found.append(dict(attrs).get("id"))

    parser = Scripts()
    parser.feed(text)
    assert parser.found == [page.DOCUMENT_ID, page.CONFIG_ID, None]
    embedded = script_data(text, page.DOCUMENT_ID)
    assert embedded["stages"][0]["skills"][0]["title"] == evil
    assert embedded["stages"][0]["title"] == "{{js}} {{document_json}}"


def test_strings_in_both_languages():
    strings = json.loads((page.resources.files("dlpath.path.views") / "page" /
                          "strings.json").read_text(encoding="utf-8"))
    assert set(strings) == {"en", "zh"}
    assert set(strings["en"]) == set(strings["zh"])
    for key in ("prerequisites", "references", "labs", "formulas", "where_in_dlpath",
                "role_label", "all_roles", "state_verified", "state_in-progress",
                "state_not-started", "depth_aware", "depth_explain", "depth_implement",
                "depth_ship"):
        assert strings["en"][key] and strings["zh"][key]
    text = page.render_page(fixture_document("zh"))
    assert '<html lang="zh-CN">' in text
    assert script_data(text, page.CONFIG_ID)["strings"]["references"] == "参考文献"
    assert "<title>深度学习工程师之路</title>" in text


def test_write_page_is_atomic(tmp_path, monkeypatch):
    target = tmp_path / "out" / "path.html"
    assert page.write_page(fixture_document(), target) == target
    first = target.read_text(encoding="utf-8")
    assert script_data(first, page.DOCUMENT_ID)["lang"] == "en"
    page.write_page(fixture_document("zh"), target)
    assert script_data(target.read_text(encoding="utf-8"), page.DOCUMENT_ID)["lang"] == "zh"
    assert [p.name for p in target.parent.iterdir()] == ["path.html"]

    def broken_write(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(page.os, "replace", broken_write)
    with pytest.raises(OSError):
        page.write_page(fixture_document(), target)
    assert script_data(target.read_text(encoding="utf-8"), page.DOCUMENT_ID)["lang"] == "zh"
    assert [p.name for p in target.parent.iterdir()] == ["path.html"]  # no temp file left


# ---------------------------------------------------------------------- in a real browser
def _program(path: str, name: str) -> str | None:
    return path if os.path.exists(path) else shutil.which(name)


@pytest.fixture(scope="module")
def browser():
    try:
        from selenium import webdriver
    except ImportError:
        pytest.fail(INSTALL, pytrace=False)
    chromium = _program(CHROMIUM, "chromium")
    chromedriver = _program(CHROMEDRIVER, "chromedriver")
    if not chromium or not chromedriver:
        pytest.fail(f"no Chromium found ({CHROMIUM}, {CHROMEDRIVER}); {INSTALL}", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,800",
                     "--disable-dev-shm-usage", "--lang=en-US"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=chromedriver),
                                  options=options)
    except Exception as error:  # noqa: BLE001 - any start failure is reported the same way
        pytest.fail(f"Chromium did not start ({error}); {INSTALL}", pytrace=False)
    driver.set_window_size(1280, 800)
    yield driver
    driver.quit()


def open_page(driver, path, fragment=""):
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(path.resolve().as_uri() + fragment)
    WebDriverWait(driver, 5).until(
        lambda d: d.execute_script("return document.documentElement.dataset.ready === 'true'"))


def shown_skills(driver) -> set[str]:
    return {node.get_attribute("data-skill")
            for node in driver.find_elements("css selector", ".skill-node") if node.is_displayed()}


def console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE"]


def test_page_in_a_browser(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver = browser
    driver.set_window_size(1280, 800)
    path = page.write_page(fixture_document(), tmp_path / "path.html")
    open_page(driver, path)
    assert console_errors(driver) == []
    everything = {"vectors", "chain-rule", "gradient-check", "dense-layers", "backprop",
                  "serving"}
    assert shown_skills(driver) == everything
    assert "1 of 6 skills verified" in driver.find_element(By.ID, "overall").text

    # The verified skill is green, the others amber and grey.
    verified = driver.find_element(By.ID, "skill-vectors")
    assert "state-verified" in verified.get_attribute("class").split()
    colour = verified.value_of_css_property("border-left-color")
    red, green, blue = (int(c) for c in re.findall(r"\d+", colour)[:3])
    assert green > red + 60 and green > blue + 40, colour
    assert "state-in-progress" in driver.find_element(
        By.ID, "skill-backprop").get_attribute("class")
    assert "state-not-started" in driver.find_element(By.ID, "skill-serving").get_attribute("class")

    # Arrows: inside a stage always, and stage to stage in the rail.
    edges = driver.find_elements(By.CSS_SELECTOR, "#edges path.edge")
    pairs = {(e.get_attribute("data-from"), e.get_attribute("data-to")) for e in edges}
    assert ("vectors", "chain-rule") in pairs and ("dense-layers", "backprop") in pairs
    assert ("mathematics", "networks") in pairs and ("networks", "deployment") in pairs
    assert ("mathematics", "deployment") not in pairs  # implied by the two above
    assert ("vectors", "dense-layers") not in pairs  # across stages: only on focus
    assert ("vectors", "gradient-check") not in pairs  # implied by the chain rule
    bar = driver.find_element(By.CSS_SELECTOR, "#stage-mathematics .bar span")
    assert bar.get_attribute("style").replace(" ", "") == "width:33%;"

    # Filter by a role: the skills it does not need are hidden, depths shown.
    Select(driver.find_element(By.ID, "role-filter")).select_by_visible_text("Product manager")
    WebDriverWait(driver, 3).until(lambda d: "gradient-check" not in shown_skills(d))
    assert shown_skills(driver) == {"vectors", "chain-rule", "dense-layers", "serving"}
    assert driver.find_element(By.CSS_SELECTOR, "#skill-vectors .depth").text == "aware"
    assert driver.find_element(By.CSS_SELECTOR, "#skill-serving .depth").text == "can explain"
    # For a product manager the quiz is enough to verify the chain rule.
    assert "state-verified" in driver.find_element(By.ID, "skill-chain-rule").get_attribute("class")
    assert "2 of 4 skills verified" in driver.find_element(By.ID, "overall").text
    assert driver.find_element(By.ID, "role-card").is_displayed()

    # Open a skill: its text, formulas, labs and references.
    driver.find_element(By.ID, "skill-vectors").click()
    detail = driver.find_element(By.ID, "detail")
    WebDriverWait(driver, 3).until(lambda d: detail.is_displayed())
    assert detail.find_element(By.ID, "detail-title").text == "Vectors and matrices"
    text = detail.find_element(By.CSS_SELECTOR, ".skill-text")
    assert "is a list of numbers" in text.text
    assert text.find_element(By.TAG_NAME, "strong").text == "numbers"
    assert text.find_element(By.TAG_NAME, "em").text == "vector"
    assert "<script>alert('x')</script>" in text.text  # shown as text, not run
    assert len(text.find_elements(By.TAG_NAME, "math")) == 2
    formulas = detail.find_elements(By.CSS_SELECTOR, ".formula")
    assert len(formulas) == 2
    assert formulas[0].find_element(By.TAG_NAME, "math").is_displayed()
    assert "Where in dlpath: dlpath.engine.ops.matmul:matmul" in formulas[0].text
    assert formulas[1].find_element(By.CSS_SELECTOR, "code.tex").text == "\\frac{a}{"
    labs = {li.get_attribute("data-lab"): li.text
            for li in detail.find_elements(By.CSS_SELECTOR, "li.lab")}
    assert set(labs) == {"quiz-math", "matmul-lab"}
    assert "passed" in labs["quiz-math"] and "dlpath quiz quiz-math" in labs["quiz-math"]
    assert "dlpath lab start matmul-lab" in labs["matmul-lab"]
    assert "dlpath train mnist-mlp" in detail.text
    assert "dlpath.engine.ops.matmul" in detail.find_element(By.CSS_SELECTOR, ".code-paths").text
    references = detail.find_elements(By.CSS_SELECTOR, "li.reference")
    assert references[0].text == ("Claude E. Shannon (1948). A Mathematical Theory of "
                                  "Communication. Bell System Technical Journal 27(3), 379-423.")
    assert references[0].find_element(By.TAG_NAME, "a").get_attribute("href") == SHANNON["url"]
    assert references[1].text.startswith("Solomon Kullback, Richard A. Leibler (1951). On ")
    assert not references[1].find_elements(By.TAG_NAME, "a")
    assert "selected" in driver.find_element(By.ID, "skill-vectors").get_attribute("class")

    # All roles again; focus shows the links across stages; a prerequisite opens its skill.
    Select(driver.find_element(By.ID, "role-filter")).select_by_index(0)
    assert shown_skills(driver) == everything
    assert detail.find_element(By.ID, "detail-title").text == "Vectors and matrices"
    driver.find_element(By.ID, "skill-backprop").click()
    WebDriverWait(driver, 3).until(
        lambda d: d.find_element(By.ID, "detail-title").text == "Back-propagation")
    assert "dlpath lab check mnist-project --model RUN_DIR" in detail.text
    assert "started" in detail.find_element(
        By.CSS_SELECTOR, 'li.lab[data-lab="mnist-project"]').text
    focus = {(e.get_attribute("data-from"), e.get_attribute("data-to"))
             for e in driver.find_elements(By.CSS_SELECTOR, "#edges path.edge.focus")}
    assert ("chain-rule", "backprop") in focus  # from the earlier stage
    driver.find_element(By.ID, "skill-gradient-check").click()
    focus = {(e.get_attribute("data-from"), e.get_attribute("data-to"))
             for e in driver.find_elements(By.CSS_SELECTOR, "#edges path.edge.focus")}
    assert focus == {("chain-rule", "gradient-check"), ("vectors", "gradient-check")}
    driver.find_element(By.ID, "skill-backprop").click()
    detail.find_element(By.CSS_SELECTOR, '.prerequisites .chip[data-skill="chain-rule"]').click()
    WebDriverWait(driver, 3).until(
        lambda d: d.find_element(By.ID, "detail-title").text == "The chain rule")
    assert driver.current_url.endswith("#chain-rule")

    # A narrow window: nothing wider than the window, the panel over the roadmap.
    driver.find_element(By.CSS_SELECTOR, "#detail .close").click()
    assert not detail.is_displayed()
    driver.set_window_size(420, 800)
    WebDriverWait(driver, 3).until(lambda d: d.execute_script("return innerWidth") < 500)
    assert driver.execute_script(
        "return document.documentElement.scrollWidth <= innerWidth + 1")
    driver.find_element(By.ID, "skill-serving").click()
    assert detail.is_displayed() and detail.rect["width"] <= 420
    assert console_errors(driver) == []


def test_chinese_page_in_a_browser(browser, tmp_path):
    from selenium.webdriver.common.by import By

    driver = browser
    driver.set_window_size(1280, 800)
    path = page.write_page(fixture_document("zh"), tmp_path / "path-zh.html")
    open_page(driver, path, "#vectors")  # a link to one skill opens it
    assert driver.find_element(By.ID, "detail-title").text == "向量与矩阵"
    assert "参考文献" in driver.find_element(By.ID, "detail").text
    assert driver.find_element(By.ID, "role-filter").find_element(
        By.CSS_SELECTOR, "option").text == "全部角色"
    assert "已验证" in driver.find_element(By.ID, "legend").text
    title = driver.find_element(By.CSS_SELECTOR, "#skill-vectors .node-title")
    assert title.text == "向量与矩阵"
    assert console_errors(driver) == []


def test_page_of_a_role_document_in_a_browser(browser, tmp_path):
    """A document built for one role: that role is chosen and its states are shown as given."""
    from selenium.webdriver.common.by import By

    document = fixture_document()
    document["role"] = "product-manager"
    document["roles"] = [r for r in document["roles"] if r["id"] == "product-manager"]
    for stage in document["stages"]:
        stage["skills"] = [s for s in stage["skills"] if "product-manager" in s["depth"]]
    driver = browser
    open_page(driver, page.write_page(document, tmp_path / "role.html"))
    assert driver.find_element(By.ID, "role-filter").get_attribute("value") == "product-manager"
    assert shown_skills(driver) == {"vectors", "chain-rule", "dense-layers", "serving"}
    # the document's own state, not one derived again
    assert "state-in-progress" in driver.find_element(
        By.ID, "skill-chain-rule").get_attribute("class")
    assert console_errors(driver) == []


# ---------------------------------------------------------------------- the real roadmap
def test_page_of_the_real_roadmap(tmp_path):
    from dlpath.path.progress import ProgressStore, learner_progress
    from dlpath.path.roadmap import load_roadmap
    from dlpath.path.views.document import roadmap_document

    roadmap = load_roadmap()
    with ProgressStore.open(tmp_path / "p.sqlite3") as store:
        first = roadmap.stages[0].skills[0]
        for lab in first.labs:
            store.record(lab, "quiz" if lab.startswith("quiz") else "check", True, "all")
        progress = learner_progress(roadmap, store)
    failed = []
    for lang in ("en", "zh"):
        document = roadmap_document(roadmap, progress, lang)
        text = page.render_page(document)
        embedded = script_data(text, page.DOCUMENT_ID)
        assert page.strip_added_fields(embedded) == json.loads(json.dumps(document))
        # The fixture above has the shape of the real document.
        fixture = fixture_document(lang)
        assert set(fixture) == set(document)
        real_skill = document["stages"][0]["skills"][0]
        assert set(fixture["stages"][0]["skills"][0]) == set(real_skill)
        assert set(fixture["stages"][0]) == set(document["stages"][0])
        assert set(fixture["roles"][0]) == set(document["roles"][0])
        for stage in embedded["stages"]:
            for skill in stage["skills"]:
                failed += [f"{skill['id']}: formula {f['tex']}" for f in skill["formulas"]
                           if "mathml" not in f]
                text = skill["text_html"]
                failed += [f"{skill['id']} ({lang}): inline math ${tex}$" for tex in
                           re.findall(r'<code class="tex">(.*?)</code>', text)]
                if any("$" in math for math in re.findall(r"<math.*?</math>", text, re.S)):
                    failed.append(f"{skill['id']} ({lang}): a $ inside math: some $...$ "
                                  "does not close where meant (a closing $ after a space?)")
                assert "<script" not in text
    assert not failed, "math that does not render as MathML:\n" + "\n".join(failed)
