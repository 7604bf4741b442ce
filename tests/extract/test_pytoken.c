#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "contracts/pytoken.h"

/* Tokenizes `src` into "TYPE text@row,col-row,col|" items (no ENCODING). */
static char *tokens(const char *src, size_t len, int *rc_out)
{
	struct ct_pytokenizer *t = NULL;
	struct ct_pytok tok;
	struct ct_err err = CT_ERR_INIT;
	struct ct_buf out = CT_BUF_INIT;
	int rc = ct_pytok_new(&t, src, len, "t.py", &err);

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

static char *toks(const char *src)
{
	return tokens(src, strlen(src), NULL);
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
