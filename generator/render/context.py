"""The Jinja context the renderer's templates run in: Jinja's own, with a faster ``call``.

A template calls a function or a macro through ``Context.call`` for every ``{{ link(…) }}``,
``{{ tr(…) }}`` or macro it uses: about 400 calls a topic page, over a million a language at
N = 1,000. Jinja's ``call`` first asks each callable whether its ``__call__`` wants the context
(``hasattr`` and a method-wrapper made on every call), then whether it does itself. For plain
functions, methods, builtins and macros the first question always answers no, so
:class:`FastCallContext` asks only the second; anything else (a callable object) goes through
Jinja's own ``call``. The answer is the same: ``tests/render/test_context.py`` calls each kind of
callable both ways. At N = 1,000 this took about a tenth off rendering the pages.

Set as the environment's ``context_class``, the documented place for a context of one's own.

:class:`EscapedOutput` is the environment's ``code_generator_class`` (documented too, for
changing the Python code a template compiles to). Jinja writes each ``{{ value }}`` of an
autoescaped template as ``escape(finalize(value))``. The renderer's ``finalize`` already returns
escaped text (Markup) for every value, and markupsafe's ``escape`` of a Markup is the same text
made into a new Markup: about a million calls a language at N = 1,000 that change nothing. So
where autoescaping is on (and not switched in the template) and a finalize is set, the output is
``finalize(value)`` alone; anything else compiles as Jinja compiles it. Only for an environment
whose ``finalize`` escapes (:data:`ESCAPING_FINALIZE` marks it): ``tests/render/test_context.py``
renders every page of the example both ways and checks that hostile values are still escaped.
"""

from __future__ import annotations

import types
from typing import Any

from jinja2 import pass_context, pass_environment, pass_eval_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Expr
from jinja2.runtime import Context, Macro

#: Callables whose ``__call__`` is never marked by ``pass_context`` and the like: Jinja's own
#: ``call`` would look at it and find nothing there.
_PLAIN = frozenset({types.FunctionType, types.MethodType, types.BuiltinFunctionType,
                    types.BuiltinMethodType, Macro})

# what pass_context, pass_eval_context and pass_environment mark a callable with
_CONTEXT = getattr(pass_context(lambda: None), "jinja_pass_arg")
_EVAL_CONTEXT = getattr(pass_eval_context(lambda: None), "jinja_pass_arg")
_ENVIRONMENT = getattr(pass_environment(lambda: None), "jinja_pass_arg")


class FastCallContext(Context):
    """Jinja's context; :meth:`call` skips the question that has no answer for plain callables."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's own signature)
        if type(__obj) not in _PLAIN:
            return Context.call(__self, __obj, *args, **kwargs)
        if kwargs:
            loop_vars = kwargs.pop("_loop_vars", None)
            block_vars = kwargs.pop("_block_vars", None)
        else:
            loop_vars = block_vars = None
        pass_arg = getattr(__obj, "jinja_pass_arg", None)
        if pass_arg is not None:
            if pass_arg is _CONTEXT:
                # as Jinja does: the function sees the variables set in the loop or block it is called from
                if loop_vars:
                    __self = __self.derived(loop_vars)  # type: ignore[assignment]
                if block_vars:
                    __self = __self.derived(block_vars)  # type: ignore[assignment]
                args = (__self, *args)
            elif pass_arg is _EVAL_CONTEXT:
                args = (__self.eval_ctx, *args)
            elif pass_arg is _ENVIRONMENT:
                args = (__self.environment, *args)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a"
                                                " StopIteration exception")


#: The attribute that marks a finalize function as returning escaped text (Markup) for every value.
ESCAPING_FINALIZE = "factsheets_escapes"


class EscapedOutput(CodeGenerator):
    """Jinja's code generator; an output is not escaped again when the finalize escaped it."""

    def _escaped_by_finalize(self, frame: Frame, finalize: Any) -> bool:
        return (finalize.src is not None and getattr(self.environment.finalize, ESCAPING_FINALIZE, False)
                and frame.eval_ctx.autoescape and not frame.eval_ctx.volatile)

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if self._escaped_by_finalize(frame, finalize):
            self.write(finalize.src)  # "environment.finalize(" (its value: escaped text)
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if self._escaped_by_finalize(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)
