#include <criterion/criterion.h>
#include <stdlib.h>

#include "contracts/gate.h"
#include "contracts/toml.h"

struct pyv {
	const char *text, *version;
	unsigned line;
	int runtime;
};

Test(gate, python_versions_as_packages_write_them, .timeout = 5)
{
	static const struct pyv cases[] = {
	    {"__version__ = \"1.2.3\"\n", "1.2.3", 1, 0},
	    {"x = 1\n__version__: str = '0.0.19.post5'\n", "0.0.19.post5", 2,
	     0},
	    /* NetBox: a PluginConfig class attribute */
	    {"class C(PluginConfig):\n    name = \"p\"\n    version = \"0.0.24\"\n"
	     "    min_version = \"4.2\"\n",
	     "0.0.24", 3, 0},
	    /* __version__ wins over a class attribute */
	    {"class C:\n    version = \"9\"\n__version__ = \"1.0\"\n", "1.0", 3,
	     0},
	    /* a docstring mentioning one is no assignment */
	    {"\"\"\"Docs.\n\n    version = \"9.9\"\n\"\"\"\nclass C:\n"
	     "    version = \"2.0\"\n",
	     "2.0", 6, 0},
	    /* read from the package metadata at run time */
	    {"from importlib.metadata import version\n"
	     "__version__ = version(\"proxbox_api\")\n",
	     NULL, 0, 1},
	    {"try:\n    __version__ = version(\"x\")\nexcept Exception:\n"
	     "    __version__ = \"0.0.0\"\n",
	     NULL, 0, 1},
	    /* a comparison is no assignment */
	    {"if __version__ == \"1\":\n    pass\n__version__ = \"3\"\n", "3",
	     3, 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct ct_err err = CT_ERR_INIT;
		char *v = NULL;
		unsigned line = 0;
		int runtime = 0;
		cr_assert_eq(ct_gate_python_version(&v, &line, &runtime,
						    cases[i].text, "x.py",
						    &err),
			     0, "case %zu: %s", i, err.msg);
		cr_assert_eq(runtime, cases[i].runtime, "case %zu", i);
		if (cases[i].version) {
			cr_assert_str_eq(v, cases[i].version, "case %zu", i);
			cr_assert_eq(line, cases[i].line, "case %zu", i);
		} else {
			cr_assert_null(v, "case %zu", i);
		}
		free(v);
	}
}

Test(gate, python_without_a_version_names_the_file, .timeout = 5)
{
	struct ct_err err = CT_ERR_INIT;
	char *v = NULL;
	unsigned line;
	int runtime;

	cr_assert_eq(ct_gate_python_version(&v, &line, &runtime,
					    "name = \"x\"\nversion = \"1\"\n",
					    "pkg/__init__.py", &err),
		     CT_ENOTFOUND);
	cr_assert_str_eq(err.path, "pkg/__init__.py");
	cr_assert_null(v);
	cr_assert_eq(ct_gate_python_version(&v, &line, &runtime,
					    "__version__ = \"1.0\n", "a.py",
					    &err),
		     CT_EPARSE);
	cr_assert_eq(err.line, 1);
}

/* Lines of values, as the version rule reports them. */
Test(toml, values_know_their_lines, .timeout = 5)
{
	static const char text[] = "# c\n[project]\nname = \"p\"\n"
				   "version = \"1.0\"\n\n[[package]]\n"
				   "name = \"a\"\nversion = \"2\"\n";
	struct ct_err err = CT_ERR_INIT;
	json_object *doc, *t, *v;

	cr_assert_eq(ct_toml_parse(&doc, text, sizeof(text) - 1, "f", &err), 0);
	cr_assert(json_object_object_get_ex(doc, "project", &t));
	cr_assert(json_object_object_get_ex(t, "version", &v));
	cr_assert_eq(ct_toml_line(v), 4);
	cr_assert_eq(ct_toml_line(t), 2);
	cr_assert(json_object_object_get_ex(doc, "package", &t));
	v = json_object_object_get(json_object_array_get_idx(t, 0), "version");
	cr_assert_eq(ct_toml_line(v), 8);
	json_object_put(doc);
}

Test(toml, date_times_keep_their_kind, .timeout = 5)
{
	static const char text[] = "a = 1979-05-27T07:32:00Z\n"
				   "b = 1979-05-27 07:32:00\nc = 1979-05-27\n"
				   "d = 07:32:00\ne = \"1979-05-27\"\n";
	struct ct_err err = CT_ERR_INIT;
	json_object *doc;

	cr_assert_eq(ct_toml_parse(&doc, text, sizeof(text) - 1, "f", &err), 0);
	cr_assert_eq(ct_toml_kind(json_object_object_get(doc, "a")),
		     CT_TOML_OFFSET_DATETIME);
	cr_assert_str_eq(
	    json_object_get_string(json_object_object_get(doc, "b")),
	    "1979-05-27T07:32:00");
	cr_assert_eq(ct_toml_kind(json_object_object_get(doc, "b")),
		     CT_TOML_LOCAL_DATETIME);
	cr_assert_eq(ct_toml_kind(json_object_object_get(doc, "c")),
		     CT_TOML_LOCAL_DATE);
	cr_assert_eq(ct_toml_kind(json_object_object_get(doc, "d")),
		     CT_TOML_LOCAL_TIME);
	cr_assert_eq(ct_toml_kind(json_object_object_get(doc, "e")),
		     CT_TOML_OTHER);
	json_object_put(doc);
}

Test(toml, errors_name_line_and_column, .timeout = 5)
{
	static const char text[] = "a = 1\n[t]\nb = 2\n[t]\n";
	struct ct_err err = CT_ERR_INIT;
	json_object *doc = NULL;

	cr_assert_eq(
	    ct_toml_parse(&doc, text, sizeof(text) - 1, "p.toml", &err),
	    CT_EPARSE);
	cr_assert_null(doc);
	cr_assert_eq(err.line, 4);
	cr_assert_eq(err.col, 1);
	cr_assert_str_eq(err.path, "p.toml");
	cr_assert_str_eq(err.msg, "invalid TOML: a table is defined twice");
}

/* Deep nesting is refused at the limit, not by running out of stack. */
Test(toml, nesting_is_bounded, .timeout = 5)
{
	char text[2 * 200 + 16] = "a = ";
	struct ct_err err = CT_ERR_INIT;
	json_object *doc = NULL;
	size_t n = 4;

	for (int i = 0; i < 200; i++)
		text[n++] = '[';
	for (int i = 0; i < 200; i++)
		text[n++] = ']';
	text[n] = '\0';
	cr_assert_eq(ct_toml_parse(&doc, text, n, "deep.toml", &err),
		     CT_EPARSE);
	cr_assert_str_eq(err.msg, "invalid TOML: nested too deeply");
}
