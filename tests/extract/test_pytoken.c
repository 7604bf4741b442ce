#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "contracts/pytoken.h"

/* Tokenizes `src` as Python `version` into "TYPE text@row,col-row,col|"
 * items (no ENCODING). */
static char *tokens_of(const char *src, size_t len, enum ct_pyversion version,
		       int *rc_out)
{
	struct ct_pytokenizer *t = NULL;
	struct ct_pytok tok;
	struct ct_err err = CT_ERR_INIT;
	struct ct_buf out = CT_BUF_INIT;
	int rc = ct_pytok_new_ex(&t, src, len, "t.py", version, 0, &err);

	while (rc >= 0 && t && (rc = ct_pytok_next(t, &tok, &err)) > 0) {
		if (tok.type == CT_PYTOK_ENCODING)
			continue;
		ct_buf_addf(&out, "%s %.*s@%u,%u-%u,%u|",
			    ct_pytok_type_name(tok.type), (int)tok.len,
			    tok.text, tok.srow, tok.scol, tok.erow, tok.ecol);
	}
	if (rc < 0)
		ct_buf_addf(&out, "ERROR %s:%u:%u: %s", err.path, err.line,
			    err.col, err.msg);
	if (rc_out)
		*rc_out = rc;
	ct_pytok_free(t);
	return ct_buf_detach(&out, NULL);
}

static char *tokens(const char *src, size_t len, int *rc_out)
{
	return tokens_of(src, len, CT_PY_3_11, rc_out);
}

static char *toks(const char *src)
{
	return tokens(src, strlen(src), NULL);
}

static char *toks13(const char *src)
{
	return tokens_of(src, strlen(src), CT_PY_3_13, NULL);
}

static char *toks12(const char *src)
{
	return tokens_of(src, strlen(src), CT_PY_3_12, NULL);
}

Test(pytoken, gives_indentation_and_newlines)
{
	char *s = toks("if x:\n    y = 1\n");

	cr_assert_str_eq(
	    s,
	    "NAME if@1,0-1,2|NAME x@1,3-1,4|OP :@1,4-1,5|NEWLINE \n@1,5-1,6|"
	    "INDENT     @2,0-2,4|NAME y@2,4-2,5|OP =@2,6-2,7|NUMBER 1@2,8-2,9|"
	    "NEWLINE \n@2,9-2,10|DEDENT @3,0-3,0|ENDMARKER @3,0-3,0|");
	free(s);
}

Test(pytoken, counts_columns_in_code_points)
{
	char *s = toks("\xce\xbb = \"\xe2\x82\xac\"\n");

	cr_assert_str_eq(
	    s,
	    "NAME \xce\xbb@1,0-1,1|OP =@1,2-1,3|STRING \"\xe2\x82\xac\"@1,4-1,7|"
	    "NEWLINE \n@1,7-1,8|ENDMARKER @2,0-2,0|");
	free(s);
}

Test(pytoken, keeps_crlf_in_newline_tokens)
{
	char *s = toks("x\r\n\r\n");

	cr_assert_str_eq(
	    s,
	    "NAME x@1,0-1,1|NEWLINE \r\n@1,1-1,3|NL \r\n@2,0-2,2|ENDMARKER @3,0-3,0|");
	free(s);
}

Test(pytoken, joins_lines_inside_brackets_and_after_backslash)
{
	char *s = toks("f(1,\n  2)\nx = 1 + \\\n  2\n");

	cr_assert_not_null(strstr(s, "NL \n@1,4-1,5|"));
	cr_assert_not_null(strstr(s, "OP +@3,6-3,7|NUMBER 2@4,2-4,3|NEWLINE"));
	free(s);
}

Test(pytoken, multi_line_strings_span_rows)
{
	char *s = toks("s = '''a\nb'''\n");

	cr_assert_not_null(strstr(s, "STRING '''a\nb'''@1,4-2,4|"));
	free(s);
}

Test(pytoken, adds_a_newline_at_end_of_file)
{
	char *s = toks("x = 1");

	cr_assert_str_eq(
	    s,
	    "NAME x@1,0-1,1|OP =@1,2-1,3|NUMBER 1@1,4-1,5|NEWLINE @1,5-1,6|ENDMARKER @2,0-2,0|");
	free(s);
}

Test(pytoken, stray_characters_are_error_tokens)
{
	char *s = toks("a $b\nx = 'open\n");

	cr_assert_not_null(strstr(
	    s, "ERRORTOKEN  @1,1-1,2|ERRORTOKEN $@1,2-1,3|NAME b@1,3-1,4|"));
	cr_assert_not_null(strstr(
	    s, "ERRORTOKEN  @2,3-2,4|ERRORTOKEN '@2,4-2,5|NAME open@2,5-2,9|"));
	free(s);
}

Test(pytoken, names_the_place_of_a_bad_dedent)
{
	int rc;
	char *s = tokens("if 1:\n  x = 1\n y = 2\n", 21, &rc);

	cr_assert_lt(rc, 0);
	cr_assert_not_null(
	    strstr(
		s,
		"ERROR t.py:3:1: unindent does not match any outer indentation level"),
	    "%s", s);
	free(s);
}

Test(pytoken, eof_inside_brackets_or_strings_is_an_error)
{
	int rc;
	char *s = tokens("x = (1,\n", 8, &rc);

	cr_assert_lt(rc, 0);
	cr_assert_not_null(
	    strstr(s, "ERROR t.py:2:0: EOF in multi-line statement"), "%s", s);
	free(s);
	s = tokens("x = \"\"\"abc\n", 11, &rc);
	cr_assert_not_null(
	    strstr(s, "ERROR t.py:1:4: EOF in multi-line string"), "%s", s);
	free(s);
}

Test(pytoken, decodes_a_coding_cookie_and_a_bom)
{
	char *s = toks("# -*- coding: latin-1 -*-\nx = '\xe9'\n");

	cr_assert_not_null(strstr(s, "STRING '\xc3\xa9'@2,4-2,7|"), "%s", s);
	free(s);
	s = toks("\xef\xbb\xbfx\n");
	cr_assert_str_eq(
	    s, "NAME x@1,0-1,1|NEWLINE \n@1,1-1,2|ENDMARKER @2,0-2,0|");
	free(s);
}

Test(pytoken, refuses_unknown_encodings_and_bad_utf8)
{
	int rc;
	char *s = tokens("# coding: klingon\n", 18, &rc);

	cr_assert_lt(rc, 0);
	cr_assert_not_null(strstr(s, "unknown encoding: klingon"), "%s", s);
	free(s);
	/* as Python: bad bytes on the first line spoil the cookie search */
	s = tokens("x = '\xff'\n", 8, &rc);
	cr_assert_lt(rc, 0);
	cr_assert_not_null(
	    strstr(s, "t.py:1:0: invalid or missing encoding declaration"),
	    "%s", s);
	free(s);
	s = tokens("x = 1\ny = '\xff'\n", 14, &rc);
	cr_assert_lt(rc, 0);
	cr_assert_not_null(
	    strstr(s, "t.py:2:0: source is not valid UTF-8 (byte 0xff)"), "%s",
	    s);
	free(s);
}

Test(pytoken, a_50_mb_line_takes_linear_time, .timeout = 30)
{
	size_t n = 50u << 20;
	char *src = malloc(n + 8), *s;

	memcpy(src, "x = '", 5);
	memset(src + 5, 'a', n);
	memcpy(src + 5 + n, "'\n", 2);
	s = tokens(src, n + 7, NULL);
	cr_assert_not_null(strstr(s, "NEWLINE"));
	free(s);
	free(src);
}

Test(pytoken, reprs_like_python)
{
	struct ct_buf b = CT_BUF_INIT;

	ct_py_repr(&b, "a'b", 3);
	cr_assert_str_eq(b.ptr, "\"a'b\"");
	ct_buf_reset(&b);
	ct_py_repr(
	    &b,
	    "a'\"\\\t\x01\x7f\xc2\x85\xe2\x82\xac\xf0\x9f\x98\x80\xe2\x80\x8b",
	    18);
	cr_assert_str_eq(
	    b.ptr,
	    "'a\\'\"\\\\\\t\\x01\\x7f\\x85\xe2\x82\xac\xf0\x9f\x98\x80\\u200b'");
	ct_buf_release(&b);
}

/* ---- 3.12 and 3.13 ------------------------------------------------------ */

Test(pytoken313, splits_fstrings_into_start_middle_end)
{
	char *s = toks13("f'a{x}b'\n");

	cr_assert_str_eq(s, "FSTRING_START f'@1,0-1,2|FSTRING_MIDDLE a@1,2-1,3|"
			    "OP {@1,3-1,4|NAME x@1,4-1,5|OP }@1,5-1,6|"
			    "FSTRING_MIDDLE b@1,6-1,7|FSTRING_END '@1,7-1,8|"
			    "NEWLINE \n@1,8-1,9|ENDMARKER @2,0-2,0|");
	free(s);
}

Test(pytoken313, reads_nested_quotes_of_the_same_kind_in_fields)
{
	char *s = toks13("f\"{d[\"k\"]}\"\n");

	cr_assert_str_eq(s,
			 "FSTRING_START f\"@1,0-1,2|OP {@1,2-1,3|"
			 "NAME d@1,3-1,4|OP [@1,4-1,5|STRING \"k\"@1,5-1,8|"
			 "OP ]@1,8-1,9|OP }@1,9-1,10|FSTRING_END \"@1,10-1,11|"
			 "NEWLINE \n@1,11-1,12|ENDMARKER @2,0-2,0|");
	free(s);
}

Test(pytoken313, keeps_one_brace_of_doubled_braces)
{
	char *s = toks13("f'{{a}}'\n");

	cr_assert_str_eq(s, "FSTRING_START f'@1,0-1,2|FSTRING_MIDDLE {@1,2-1,3|"
			    "FSTRING_MIDDLE a}@1,4-1,6|FSTRING_END '@1,7-1,8|"
			    "NEWLINE \n@1,8-1,9|ENDMARKER @2,0-2,0|");
	free(s);
}

Test(pytoken313, format_spec_is_a_middle_with_nested_fields)
{
	char *s = toks13("f'{x:>{w}}'\n");

	cr_assert_str_eq(s, "FSTRING_START f'@1,0-1,2|OP {@1,2-1,3|"
			    "NAME x@1,3-1,4|OP :@1,4-1,5|"
			    "FSTRING_MIDDLE >@1,5-1,6|OP {@1,6-1,7|"
			    "NAME w@1,7-1,8|OP }@1,8-1,9|"
			    "FSTRING_MIDDLE @1,9-1,9|OP }@1,9-1,10|"
			    "FSTRING_END '@1,10-1,11|NEWLINE \n@1,11-1,12|"
			    "ENDMARKER @2,0-2,0|");
	free(s);
}

Test(pytoken313, comments_and_newlines_inside_a_field)
{
	char *s = toks13("f'''{x # c\n}'''\n");

	cr_assert_not_null(
	    strstr(s, "NAME x@1,5-1,6|COMMENT # c@1,7-1,10|NL \n@1,10-1,11|"
		      "OP }@2,0-2,1|FSTRING_END '''@2,1-2,4|"));
	free(s);
}

Test(pytoken313, nested_fstrings)
{
	char *s = toks13("f'{f\"{1}\"}'\n");

	cr_assert_not_null(strstr(s, "OP {@1,2-1,3|FSTRING_START f\"@1,3-1,5|"
				     "OP {@1,5-1,6|NUMBER 1@1,6-1,7|"
				     "OP }@1,7-1,8|FSTRING_END \"@1,8-1,9|"
				     "OP }@1,9-1,10|FSTRING_END '@1,10-1,11|"));
	free(s);
}

Test(pytoken313, type_statement_is_plain_names)
{
	char *s = toks13("type X[T] = int\n");

	cr_assert_str_eq(s, "NAME type@1,0-1,4|NAME X@1,5-1,6|OP [@1,6-1,7|"
			    "NAME T@1,7-1,8|OP ]@1,8-1,9|OP =@1,10-1,11|"
			    "NAME int@1,12-1,15|NEWLINE \n@1,15-1,16|"
			    "ENDMARKER @2,0-2,0|");
	free(s);
}

Test(pytoken313, last_line_without_newline_ends_with_empty_nl)
{
	char *s = toks13("# c");

	cr_assert_str_eq(s, "COMMENT # c@1,0-1,3|NL @1,3-1,4|"
			    "ENDMARKER @2,0-2,0|");
	free(s);
}

Test(pytoken313, rejects_an_unterminated_string)
{
	char *s = toks13("x = 'abc\n");

	cr_assert_str_eq(s, "NAME x@1,0-1,1|OP =@1,2-1,3|ERROR t.py:1:5: "
			    "unterminated string literal (detected at line 1)");
	free(s);
}

Test(pytoken313, rejects_a_single_closing_brace_in_an_fstring)
{
	char *s = toks13("f'}'\n");

	cr_assert_not_null(
	    strstr(s, "ERROR t.py:1:3: f-string: single '}' is not allowed"));
	free(s);
}

Test(pytoken313, rejects_tabs_mixed_with_spaces)
{
	char *s = toks13("if x:\n\ty\n        z\n");

	cr_assert_not_null(
	    strstr(s, "ERROR t.py:3:10: inconsistent use of tabs and spaces"));
	free(s);
}

Test(pytoken313, eof_inside_brackets_is_an_error)
{
	char *s = toks13("x = (1,\n");

	cr_assert_not_null(strstr(
	    s, "ERROR t.py:1:0: unexpected EOF in multi-line statement"));
	free(s);
}

Test(pytoken312, ends_a_multi_line_string_counting_its_first_line)
{
	char *s12 = toks12("\xc3\xa9 = '''\nabcd'''\n");
	char *s13 = toks13("\xc3\xa9 = '''\nabcd'''\n");

	cr_assert_not_null(strstr(s12, "'''@1,4-2,6|"));
	cr_assert_not_null(strstr(s13, "'''@1,4-2,7|"));
	free(s12);
	free(s13);
}

Test(pytoken313, replaces_invalid_utf8_after_the_first_lines)
{
	char *s = toks13("x = 1\ny = '\xff'\n");

	cr_assert_not_null(strstr(s, "STRING '\xef\xbf\xbd'@2,4-2,7|"));
	free(s);
}

Test(pytoken313, strict_utf8_refuses_it)
{
	struct ct_pytokenizer *t = NULL;
	struct ct_err err = CT_ERR_INIT;
	const char *src = "x = 1\ny = '\xff'\n";

	cr_assert_eq(ct_pytok_new_ex(&t, src, strlen(src), "t.py", CT_PY_3_13,
				     CT_PYTOK_STRICT_UTF8, &err),
		     CT_EPARSE);
	cr_assert_null(t);
}

Test(pytoken313, parses_version_names)
{
	enum ct_pyversion v;

	cr_assert_eq(ct_pyversion_parse(&v, "3.12"), 0);
	cr_assert_eq(v, CT_PY_3_12);
	cr_assert_eq(ct_pyversion_parse(&v, "3.10"), CT_EINVAL);
}
