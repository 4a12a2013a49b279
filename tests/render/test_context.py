"""The renderer's Jinja context (generator/render/context.py) calls every kind of callable as
Jinja's own context does: the same arguments passed, the same loop and block variables seen, the
same result for a callable that raises StopIteration."""

from __future__ import annotations

from pathlib import Path

from jinja2 import DictLoader, Environment, StrictUndefined, pass_context, pass_environment, pass_eval_context
from jinja2.runtime import Context

from generator.render.context import EscapedOutput, FastCallContext
from generator.render.pages import Renderer


def plain(x, y=""):
    return f"plain({x},{y})"


@pass_context
def with_context(ctx, x):
    # what a helper sees of the context: a template variable, and one set in the enclosing loop
    return f"ctx({x},{ctx['lang']},{ctx.get('row', '-')},{ctx.get('inblock', '-')})"


@pass_eval_context
def with_eval_context(ectx, x):
    return f"eval({x},{ectx.autoescape})"


@pass_environment
def with_environment(env, x):
    return f"env({x},{type(env).__name__})"


class Helper:
    """Methods, as the renderer's helpers are."""

    def __init__(self) -> None:
        self.n = 0

    @pass_context
    def method(self, ctx, x):
        return f"method({x},{ctx['lang']},{ctx.get('row', '-')})"

    def counted(self, x):
        self.n += 1
        return f"counted({x})"


class CallableWithContext:
    """A callable object whose __call__ asks for the context: Jinja's own call handles it."""

    @pass_context
    def __call__(self, ctx, x):
        return f"object({x},{ctx['lang']})"


def stops(x):
    raise StopIteration


TEMPLATE = """\
{% macro m(a, b='B') %}m({{ a }},{{ b }},{{ lang }}){% endmacro -%}
{{ plain(1) }} {{ plain(1, y=2) }} {{ len([1, 2]) }} {{ '-'.join(['a', 'b']) }} {{ m(1) }} {{ m(1, b=3) }}
{{ with_context(1) }} {{ with_eval_context(1) }} {{ with_environment(1) }} {{ h.method(1) }} {{ h.counted(1) }}
{{ obj(1) }} [{{ stops(1) is undefined }}]
{% for i in [1, 2] %}{% set row = 'r' ~ i %}{{ with_context(i) }} {{ h.method(i) }} {{ m(i) }} {{ plain(i) }} {{ obj(i) }}
{% endfor %}
{% set inblock %}{{ 'x' }}{% endset %}{% for i in [1] %}{{ with_context(i) }}{% endfor %}
{% macro outer() %}{{ caller() }}{% endmacro %}{% call outer() %}{{ with_context('c') }} {{ plain('c') }}{% endcall %}
"""


def render(context_class: type[Context]) -> str:
    env = Environment(loader=DictLoader({"t": TEMPLATE}), undefined=StrictUndefined, autoescape=True)
    env.context_class = context_class
    env.globals.update(plain=plain, with_context=with_context, with_eval_context=with_eval_context,
                       with_environment=with_environment, h=Helper(), obj=CallableWithContext(), stops=stops, len=len)
    return env.get_template("t").render(lang="ar")


def test_every_kind_of_callable_is_called_as_jinja_calls_it():
    ours, jinjas = render(FastCallContext), render(Context)
    assert ours == jinjas
    # and the template did exercise what it claims to (not two equally empty outputs)
    assert "ctx(1,ar,r1,-)" in ours and "ctx(2,ar,r2,-)" in ours and "method(2,ar,r2)" in ours
    assert "eval(1,True)" in ours and "env(1,Environment)" in ours and "object(1,ar)" in ours
    assert "m(1,3,ar)" in ours and "[True]" in ours and "plain(c,)" in ours


def test_the_renderer_uses_it():
    from generator.core.corpus import Corpus

    renderer = Renderer(Corpus(), Path(__file__).resolve().parents[2] / "templates")
    assert renderer.env.context_class is FastCallContext
    assert renderer.env.auto_reload is False


# --- EscapedOutput: an output the finalize escaped is not escaped again ------------------------

def _renderer():
    from generator.core.validate import load_and_check

    root = Path(__file__).resolve().parents[2]
    return Renderer(load_and_check(root / "content").corpus, root / "templates", "https://example.org/"), root


def test_the_renderers_templates_do_not_escape_an_output_twice():
    renderer, root = _renderer()
    assert renderer.env.code_generator_class is EscapedOutput
    source = (root / "templates" / "meeting.md.j2").read_text(encoding="utf-8")
    code = renderer.env.compile(source, "meeting.md.j2", raw=True)
    assert "environment.finalize(" in code and "escape(" not in code
    # another environment (a finalize that does not escape, or none): compiled as Jinja compiles it
    for finalize in (None, str):
        env = Environment(autoescape=True, finalize=finalize)
        env.code_generator_class = EscapedOutput
        assert "escape(" in env.compile("{{ x }}", raw=True)


def test_every_page_is_the_same_as_with_jinjas_own_code_generator():
    from jinja2.compiler import CodeGenerator

    from generator.render.plan import plan_pages

    ours, _root = _renderer()
    jinjas, _root = _renderer()
    jinjas.env.code_generator_class = CodeGenerator
    pages = plan_pages(ours.corpus)
    assert len(pages) > 50
    for page in pages:
        assert ours.render(page) == jinjas.render(page), (page.lang, page.path)


def test_hostile_values_are_escaped_all_the_same():
    renderer, _root = _renderer()
    hostile = "<script>alert(1)</script> [x](javascript:alert(1)) {{ 7*7 }}"
    template = renderer.env.from_string(
        "{% macro m(v) %}<b>{{ v }}</b>{% endmacro %}{{ v }}|{{ m(v) }}|{{ nothing }}|"
        "{% set b %}{{ v }}{% endset %}{{ b }}|{% autoescape false %}{{ v }}{% endautoescape %}")
    out = template.render(v=hostile, nothing=None)
    assert "<script>" not in out and "](javascript" not in out and "{{" not in out
    assert out.count("&#60;script&#62;") == 4 and "<b>&#60;script" in out
    assert out.split("|")[2] == ""  # None is empty text
