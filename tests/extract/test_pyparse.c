#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contracts/json.h"
#include "contracts/pyparse.h"

static struct ct_pymodule *parse_ok(const char *src)
{
	struct ct_pymodule *m = NULL;
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(ct_pymodule_parse(&m, src, strlen(src), "m.py", &e), 0,
		     "%s:%u:%u: %s", e.path, e.line, e.col, e.msg);
	return m;
}

/* Parses `len` bytes that must fail; returns "line:col: message". */
static char *parse_fail(const char *src, size_t len)
{
	struct ct_pymodule *m = NULL;
	struct ct_err e = CT_ERR_INIT;
	char *out = malloc(700);

	cr_assert_lt(ct_pymodule_parse(&m, src, len, "bad.py", &e), 0,
		     "parsed: %.60s", src);
	cr_assert_null(m);
	cr_assert_str_eq(e.path, "bad.py");
	snprintf(out, 700, "%u:%u: %s", e.line, e.col, e.msg);
	return out;
}

#define FAILS(src, want)                                                       \
	do {                                                                   \
		char *got_ = parse_fail(src, sizeof(src) - 1);                 \
		cr_assert_str_eq(got_, want);                                  \
		free(got_);                                                    \
	} while (0)

Test(pyparse, reads_classes_decorators_and_assignments)
{
	struct ct_pymodule *m =
	    parse_ok("import os, a.b as c\n"
		     "from ..pkg import (x as y, z,)\n"
		     "@dataclass\n@other(1)\nclass A(Base, metaclass=M):\n"
		     "    '''doc'''\n    x: int = 1\n    y = z = 2\n"
		     "    def f(self, *a, k=1, **kw) -> None: return a\n");

	cr_assert_eq(m->nbody, 3);
	cr_assert_eq(m->body[0].kind, CT_PY_IMPORT);
	cr_assert_str_eq(m->body[0].names[1].name, "a.b");
	cr_assert_str_eq(m->body[0].names[1].asname, "c");
	cr_assert_eq(m->body[1].kind, CT_PY_FROM);
	cr_assert_eq(m->body[1].level, 2);
	cr_assert_str_eq(m->body[1].module, "pkg");
	cr_assert_eq(m->body[1].nnames, 2);
	cr_assert_eq(m->body[2].kind, CT_PY_CLASS);
	cr_assert_str_eq(m->body[2].name, "A");
	cr_assert_eq(m->body[2].line, 5);
	cr_assert_eq(m->body[2].ndecorators, 2);
	cr_assert_eq(m->body[2].bases->nitems, 1);
	cr_assert_str_eq(m->body[2].bases->keywords[0].name, "metaclass");
	cr_assert_eq(m->body[2].nbody, 4);
	cr_assert_eq(m->body[2].body[1].kind, CT_PY_ANNASSIGN);
	cr_assert_eq(m->body[2].body[2].kind, CT_PY_ASSIGN);
	cr_assert_eq(m->body[2].body[2].ntargets, 2);
	cr_assert_eq(m->body[2].body[3].kind, CT_PY_DEF);
	ct_pymodule_free(m);
}

Test(pyparse, turns_literals_into_json)
{
	struct ct_pymodule *m = parse_ok(
	    "X = (('a', (1, -2.5)), {'k': [True, None, 0x1f]}, {'s'}, 'x' 'y', {})\n");
	json_object *v;
	struct ct_buf b = CT_BUF_INIT;

	cr_assert_eq(ct_pyexpr_literal(&v, m->body[0].value), 0);
	ct_json_write(&b, v, 0);
	cr_assert_str_eq(
	    b.ptr,
	    "[\n  [\n    \"a\",\n    [\n      1,\n      -2.5\n    ]\n  ],\n"
	    "  {\n    \"k\": [\n      true,\n      null,\n      31\n    ]\n  },\n"
	    "  [\n    \"s\"\n  ],\n  \"xy\",\n  {}\n]");
	json_object_put(v);
	ct_buf_release(&b);
	ct_pymodule_free(m);
}

Test(pyparse, decodes_string_escapes)
{
	struct ct_pymodule *m = parse_ok(
	    "a = 'tab\\there\\x41\\u00e9\\n'\nb = r'\\n'\nc = f'{x}' 'y{'\n");

	cr_assert_str_eq(m->body[0].value->str, "tab\there\x41\xc3\xa9\n");
	cr_assert_str_eq(m->body[1].value->str, "\\n");
	cr_assert_eq(m->body[2].value->kind, CT_PY_FSTR);
	cr_assert_str_eq(m->body[2].value->str, "{x}y{{");
	ct_pymodule_free(m);
}

Test(pyparse, keeps_every_expression_for_walkers)
{
	struct ct_pymodule *m = parse_ok(
	    "def f():\n    if g(1):\n        return h('x') if y else k()\n");
	int calls = 0;

	for (size_t i = 0; i < m->nexprs; i++)
		calls += m->exprs[i]->kind == CT_PY_CALL;
	cr_assert_eq(calls, 3);
	ct_pymodule_free(m);
}

Test(pyparse, accepts_modern_syntax)
{
	struct ct_pymodule *m = parse_ok(
	    "match cmd:\n    case {'a': 1} | [x, *_]:\n        pass\n    case _:\n        pass\n"
	    "match = 1\nmatch(x)\n"
	    "with (open(a) as f, open(b) as g):\n    pass\n"
	    "async def f():\n    async with a as b:\n        await c\n    async for x in y:\n        pass\n"
	    "try:\n    pass\nexcept* ValueError as e:\n    pass\n"
	    "if (n := 10) > 5:\n    pass\n"
	    "def g(a, /, b, *, c): ...\n"
	    "lambda x=lambda: 1: x\n"
	    "x = [i for i in range(3) if i]\n");
	ct_pymodule_free(m);
}

Test(pyparse, syntax_errors_name_line_and_column)
{
	FAILS("x = 1\ny = = 2\n", "2:5: invalid syntax");
	FAILS("def f(:\n    pass\n", "1:7: invalid syntax");
	FAILS("class A\n    x = 1\n", "1:8: expected ':'");
	FAILS("x = (1,\ny = 2\n", "2:3: expected ')'");
}

Test(pyparse, unterminated_strings_and_brackets)
{
	FAILS("x = 'abc\n",
	      "1:5: unterminated string literal (detected at line 1)");
	FAILS("x = \"\"\"abc\n",
	      "1:5: unterminated triple-quoted string literal");
	FAILS("x = [1,\n", "1:5: unclosed bracket: it is never closed");
	FAILS("x = )\n", "1:5: unmatched ')'");
}

/* Security probe: a NUL inside a string literal must be refused as Python
 * 3.13 refuses it reading the file, at the line of the byte. */
Test(pyparse, nul_byte_inside_a_string_literal)
{
	FAILS("x = \"a\x00"
	      "b\"\n",
	      "1:7: source code cannot contain null bytes");
	FAILS("x = 'a\x00"
	      "b'",
	      "1:7: source code cannot contain null bytes");
	FAILS("x = b'\x00'\n", "1:7: source code cannot contain null bytes");
	FAILS("x = f\"{1}\x00\"\n",
	      "1:10: source code cannot contain null bytes");
	FAILS("x = '''a\n\x00'''\n",
	      "2:1: source code cannot contain null bytes");
	FAILS("x = 'a\\\n\x00'\n",
	      "2:1: source code cannot contain null bytes");
}

Test(pyparse, nul_bytes_and_bad_utf8)
{
	FAILS("x = 1\x00\n", "1:6: source code cannot contain null bytes");
	FAILS("x = 1\ny = '\xc3\x28'\n",
	      "2:0: source is not valid UTF-8 (byte 0xc3)");
	FAILS("x = $\n", "1:5: invalid syntax"); /* as Python 3.13 */
	FAILS("x = \xe2\x82\xac\n",
	      "1:5: invalid character '\xe2\x82\xac' (U+20AC)");
}

Test(pyparse, a_class_without_a_body)
{
	FAILS(
	    "class A:\n",
	    "2:1: expected an indented block after class definition on line 1");
	FAILS(
	    "class A:\nx = 1\n",
	    "2:1: expected an indented block after class definition on line 1");
}

Test(pyparse, tabs_mixed_with_spaces_as_python_rejects_them)
{
	FAILS("if x:\n        a = 1\n\tb = 2\n",
	      "3:2: inconsistent use of tabs and spaces in indentation");
	FAILS(
	    "if x:\n  a = 1\n b = 2\n",
	    "3:7: unindent does not match any outer indentation level"); /* as 3.13
									  */
}

Test(pyparse, deep_nesting_is_bounded, .timeout = 10)
{
	size_t n = 100000;
	char *src = malloc(2 * n + 8);
	char *got;

	memcpy(src, "x = ", 4);
	memset(src + 4, '(', n);
	memset(src + 4 + n, ')', n);
	memcpy(src + 4 + 2 * n, "\n", 2);
	got = parse_fail(src, 2 * n + 5);
	cr_assert_not_null(strstr(got, "too many nested parentheses"), "%s",
			   got);
	free(got);
	free(src);
}

Test(pyparse, lines_over_the_limit_are_refused, .timeout = 10)
{
	size_t n = 50u << 20;
	char *src = malloc(n + 16), *got;

	memcpy(src, "x = '", 5);
	memset(src + 5, 'a', n);
	memcpy(src + 5 + n, "'\n", 3);
	got = parse_fail(src, n + 7);
	cr_assert_str_eq(
	    got,
	    "1:0: line is 52428806 bytes long, over the 1048576 byte limit");
	free(got);
	free(src);
}

/* ---- 3.12 and 3.13 syntax ----------------------------------------------- */

Test(pyparse313, fstring_with_nested_quotes_keeps_its_text)
{
	struct ct_pymodule *m =
	    parse_ok("x = f\"{d[\"k\"]!r:>{w}} {'\\n'.join(y)}\" \"a{b}\"\n");

	cr_assert_eq(m->nbody, 1);
	cr_assert_eq(m->body[0].value->kind, CT_PY_FSTR);
	cr_assert_str_eq(m->body[0].value->str,
			 "{d[\"k\"]!r:>{w}} {'\\n'.join(y)}a{{b}}");
	ct_pymodule_free(m);
}

Test(pyparse313, fstring_fields_are_not_kept_as_nodes)
{
	struct ct_pymodule *m = parse_ok("f(f\"{g(1)}\")\n");

	/* f(...), its name, the f-string: as for 3.11's one STRING token */
	cr_assert_eq(m->nexprs, 3);
	ct_pymodule_free(m);
}

Test(pyparse313, nested_fstrings_and_comments_in_fields)
{
	struct ct_pymodule *m =
	    parse_ok("x = f'''{f\"{f'{1}'}\"} {y # c\n}'''\n");

	cr_assert_eq(m->body[0].value->kind, CT_PY_FSTR);
	ct_pymodule_free(m);
}

Test(pyparse313, type_statement_is_a_type_alias)
{
	struct ct_pymodule *m =
	    parse_ok("type Point[T: (int, float), *Ts, **P] = tuple[T, T]\n"
		     "type = 1\ntype(x)\n");

	cr_assert_eq(m->nbody, 3);
	cr_assert_eq(m->body[0].kind, CT_PY_TYPE_ALIAS);
	cr_assert_str_eq(m->body[0].name, "Point");
	cr_assert_eq(m->body[0].value->kind, CT_PY_SUBSCRIPT);
	cr_assert_eq(m->body[1].kind, CT_PY_ASSIGN);
	cr_assert_eq(m->body[2].kind, CT_PY_EXPR);
	ct_pymodule_free(m);
}

Test(pyparse313, type_params_on_class_and_def_leave_bases_alone)
{
	struct ct_pymodule *m =
	    parse_ok("class A[T: int, *Ts, **P](Base, metaclass=M):\n"
		     "    def f[U = str](self, x: U) -> U: ...\n");

	cr_assert_eq(m->body[0].kind, CT_PY_CLASS);
	cr_assert_str_eq(m->body[0].name, "A");
	cr_assert_eq(m->body[0].bases->nitems, 1);
	cr_assert_eq(m->body[0].bases->nkeywords, 1);
	cr_assert_eq(m->body[0].body[0].kind, CT_PY_DEF);
	cr_assert_str_eq(m->body[0].body[0].name, "f");
	ct_pymodule_free(m);
}

Test(pyparse313, except_star)
{
	struct ct_pymodule *m =
	    parse_ok("try:\n    pass\nexcept* (A, B) as e:\n    pass\n");

	cr_assert_eq(m->body[0].kind, CT_PY_BLOCK);
	ct_pymodule_free(m);
}

Test(pyparse313, rejects_what_313_rejects)
{
	FAILS("type X[] = int\n", "1:8: type parameter list cannot be empty");
	FAILS("class A[*Ts: int]: pass\n",
	      "1:12: cannot use bound with TypeVarTuple");
	FAILS("def f[T = int, U](): pass\n",
	      "1:16: non-default type parameter 'U' follows default type "
	      "parameter");
	FAILS("f'{x!z}'\n", "1:6: f-string: invalid conversion character: "
			    "expected 's', 'r', or 'a'");
	FAILS("f'{}'\n", "1:4: f-string: valid expression required before '}'");
	FAILS("x = 0777\n", "1:5: leading zeros in decimal integer literals "
			    "are not permitted; use an 0o prefix for octal "
			    "integers");
	FAILS("f'{x'\n", "1:5: f-string: expecting '}'");
}

Test(pyparse, from_import_needs_a_module)
{
	FAILS("from import Enum\n", "1:6: invalid syntax");
	ct_pymodule_free(parse_ok("from . import x\nfrom .. import y\n"));
}

Test(pyparse, a_line_at_the_limit_parses_one_past_is_refused, .timeout = 30)
{
	for (size_t extra = 0; extra < 2; extra++) {
		/* x = "aaa…" with the line exactly CT_PY_MAX_LINE (+ extra) */
		size_t n = CT_PY_MAX_LINE + extra;
		char *src = malloc(n + 2);
		struct ct_pymodule *m = NULL;
		struct ct_err err = CT_ERR_INIT;
		int rc;
		memcpy(src, "x = \"", 5);
		memset(src + 5, 'a', n - 6);
		src[n - 1] = '"';
		src[n] = '\n';
		src[n + 1] = '\0';
		rc = ct_pymodule_parse(&m, src, n + 1, "long.py", &err);
		if (!extra)
			cr_assert_eq(rc, 0, "%s", err.msg);
		else
			cr_assert(rc == CT_ETOOBIG &&
				      strstr(err.msg, "over the 1048576 byte"),
				  "%s", err.msg);
		ct_pymodule_free(m);
		free(src);
	}
}
