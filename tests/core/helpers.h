/* helpers.h - building contract documents from text in tests. */
#ifndef CT_TEST_HELPERS_H
#define CT_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <string.h>

#include "contracts/contract.h"
#include "contracts/diff.h"

/* A document with `defs` as its $defs and `rest` as further members. */
static inline struct ct_contract *doc_with(const char *path, const char *defs,
					   const char *rest)
{
	struct ct_buf b = CT_BUF_INIT;
	struct ct_contract *c = NULL;
	struct ct_err e = CT_ERR_INIT;

	ct_buf_addf(&b,
		    "{\n\"x-contract\": {\"name\": \"t\", \"version\": 1},\n"
		    "\"$defs\": %s%s%s\n}\n",
		    defs, rest ? ",\n" : "", rest ? rest : "");
	cr_assert_eq(ct_contract_parse(&c, &b, path, &e), 0, "%s", e.msg);
	ct_buf_release(&b);
	return c;
}

/* Parses `text` and returns the error code, filling `e`. */
static inline int parse_error(const char *text, struct ct_err *e)
{
	struct ct_buf b = CT_BUF_INIT;
	struct ct_contract *c = NULL;
	int rc;

	ct_buf_adds(&b, text);
	rc = ct_contract_parse(&c, &b, "doc.json", e);
	if (!rc)
		rc = ct_contract_validate(c, e);
	ct_contract_free(c);
	ct_buf_release(&b);
	return rc;
}

#endif
