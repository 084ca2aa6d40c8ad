"""One bilingual mechanism (#18): every message is a catalogue key with parameters, said by i18n.t.

The older ways of carrying a message in two languages (a pre-rendered English/Chinese pair, a
parallel Chinese table) must not come back, and every key the code names must exist in both
languages."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from supervise.i18n import CATALOGUE, Msg, t
from supervise.i18n.checks import CHECKS

PACKAGE = Path(__file__).resolve().parent.parent / "supervise"
SOURCES = sorted(PACKAGE.rglob("*.py"))

# the old mechanisms, by the names they went by (regular expressions)
LEFTOVERS = {
    r"detail_zh": "an InputError detail in Chinese beside the English one: pass detail=Msg(...)",
    r"reason_zh": "a reason in Chinese beside the English one: make the reason a Msg",
    r"\b_Both\b": "a parameter in both languages: pass a Msg, said in the message's own language",
    r"\b_Reject\b": "a date builder's reason in both languages: raise DateError with a Msg reason",
    r"toml_message_zh": "a Chinese table for the TOML parser: toml.* catalogue keys",
    r"class Problem\(str\)": "a plan-file line in both languages: a Finding holding a Msg",
    r"\[\s*lang\s*==\s*['\"]zh['\"]\s*\]": "a (English, Chinese) pair picked by language: a catalogue key",
    r"\((?:str\(\w+\)|[\w.]+\.words\(\"en\"\)), *[\w.]+\.words\(\"zh\"\)\)":
        "a message rendered in both languages in advance: pass its Msg (err.message)",
}


def test_the_old_bilingual_mechanisms_are_gone():
    assert len(SOURCES) > 50  # the walk found the package at all
    found = [f"{path.relative_to(PACKAGE)}: {name} ({why})"
             for path in SOURCES for name, why in LEFTOVERS.items()
             if re.search(name, path.read_text(encoding="utf-8"))]
    assert not found, "\n".join(found)


# calls that take a catalogue key: (name of the function or class, index of the key argument)
KEY_ARGUMENT = {"t": 1, "Msg": 0, "InputError": 0, "StoreError": 0, "SuperviseError": 0}


def _keys_used() -> dict[str, str]:
    """Each literal catalogue key passed to t / Msg / an error, with where it is."""
    used: dict[str, str] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            index = KEY_ARGUMENT.get(name or "")
            if index is None or len(node.args) <= index:
                continue
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                used.setdefault(arg.value, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return used


def test_the_walk_would_see_a_pre_rendered_pair():
    assert re.search(list(LEFTOVERS)[-2], "_BAD_TEXT[lang == 'zh'].format(e.reason)")
    pair = list(LEFTOVERS)[-1]
    assert re.search(pair, 'detail=(str(err), err.words("zh"))')
    assert re.search(pair, 'detail=(err.words("en"), err.words("zh"))')
    assert not re.search(pair, 'self.notify(str(err), title=t(self.lang, "ui.error"))')


def test_every_key_the_code_names_is_in_the_catalogue_in_both_languages():
    used = _keys_used()
    assert len(used) > 300, len(used)  # the walk found the calls at all
    missing = sorted(f"{where}: {key}" for key, where in used.items() if key not in CATALOGUE)
    assert not missing, "\n".join(missing)
    for key, where in used.items():
        en, zh = CATALOGUE[key]
        assert en.strip() and zh.strip(), f"{where}: {key}"


def test_the_checks_part_has_the_same_placeholders_in_both_languages():
    # toml.* is the exception: the English is the parser's own words (its repr of a key, {raw}),
    # the Chinese names the key as the plan file writes it ({key}) or the character by name ({name});
    # and a number the clerk typed is quoted as Python does in English ({quoted}), between “” in Chinese
    for key, (en, zh) in CHECKS.items():
        if key.startswith("toml.") or key == "number.unreadable":
            continue
        assert set(re.findall(r"{(\w+)", en)) == set(re.findall(r"{(\w+)", zh)), key


def test_a_message_inside_a_message_is_said_in_the_same_language():
    inner = Msg("date.unreadable", text="2021年13月", reason=Msg("date.month_range", month=13))
    outer = Msg("date.option", option="--on", error=inner)
    assert outer.words("en") == '--on: unreadable date "2021年13月": month 13 out of range'
    assert outer.words("zh") == "--on：无法识别的日期“2021年13月”：月份 13 超出范围"
    assert t("zh", "err.bad_since", detail=inner) == "--since：无法识别的日期“2021年13月”：月份 13 超出范围"
    assert str(outer) == outer.words("en")


def test_a_parameter_named_key_is_a_parameter():
    # the plan-file messages name TOML keys as {key}: neither Msg nor t may take it for the catalogue key
    said = Msg("plan_file.tables", key="task")
    assert said.words("en") == "task must be written as [[task]] tables"
    assert t("zh", "plan_file.tables", key="plan") == "plan 应写成 [[plan]] 表"


def test_messages_compare_by_key_and_parameters():
    assert Msg("date.empty") == Msg("date.empty")
    assert Msg("date.year_range", year=0) != Msg("date.year_range", year=1)
    assert len({Msg("date.year_range", year=0), Msg("date.year_range", year=0)}) == 1


def test_a_number_error_keeps_its_words_on_one_line():
    from supervise.numbers import NumberError, parse_number

    with pytest.raises(NumberError) as caught:
        parse_number("2\n万", unit="人")
    assert caught.value.words("en") == "unreadable value '2\\n万': typed in 万, the indicator counts in 人"
    assert caught.value.words("zh") == "无法识别的数值“2 万”：填写的单位是“万”，该指标的单位是“人”"
    assert str(caught.value) == caught.value.words("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_date_error_inside_a_plan_file_problem_follows_the_language(lang):
    from supervise.planfile.loader import PlanFileError, parse_plans

    text = '[[plan]]\nid = "p"\ntitle = "t"\nstart = "2021-01-01"\nend = "2021年13月"\n'
    with pytest.raises(PlanFileError) as caught:
        parse_plans(text, "p.toml")
    expected = {"en": 'p.toml:5:1: end: unreadable date "2021年13月": month 13 out of range',
                "zh": "p.toml:5:1: end：无法识别的日期“2021年13月”：月份 13 超出范围"}[lang]
    assert caught.value.lines(lang) == [expected]


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "supervise: argument \\udcff.toml is not valid text: is the terminal set to UTF-8?"),
    ("zh", "supervise: 参数 \\udcff.toml 不是有效的文字：终端是否设为 UTF-8 编码？"),
])
def test_an_argument_the_terminal_could_not_decode_is_refused_in_the_interface_language(runner, lang, said):
    from conftest import invoke_main

    outcome = invoke_main(runner, ["--lang", lang, "check", "\udcff.toml"])
    assert outcome.exit_code == 2
    assert outcome.stderr.strip() == said
