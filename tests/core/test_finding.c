#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "contracts/compat.h"
#include "contracts/finding.h"
#include "helpers.h"

/* Compares a and b as the run would (a diff, or the compatibility check
 * when `reads`) into d, naming the two documents. */
static void compare(struct ct_changes *d, struct ct_contract *a,
		    struct ct_contract *b, enum ct_direction dir, int reads,
		    enum ct_side left, enum ct_side right)
{
	struct ct_changes init = CT_CHANGES_INIT;
	struct ct_err e = CT_ERR_INIT;

	*d = init;
	if (reads)
		cr_assert_eq(ct_compat(d, a, b, dir, NULL, &e), 0, "%s", e.msg);
	else
		cr_assert_eq(ct_diff(d, a, b, dir, &e), 0, "%s", e.msg);
	d->left = left;
	d->right = right;
}

static struct ct_contract *with_default(const char *path, int v)
{
	char defs[200];

	snprintf(defs, sizeof(defs),
		 "{\"M\": {\"properties\": {\"p\": {\"type\": \"integer\", "
		 "\"default\": %d}}}}",
		 v);
	return doc_with(path, defs, NULL);
}

Test(finding, five_comparisons_one_finding)
{
	/* the pin says 1, the provider and its file 2, the consumer and its
	 * file 3: five comparisons each see the default of M.p change */
	struct ct_contract *pin = with_default("pin.json", 1),
			   *prov = with_default("p.py", 2),
			   *pfile = with_default("p.json", 2),
			   *cons = with_default("c.py", 3),
			   *cfile = with_default("c.json", 3);
	struct ct_changes d[5];
	struct ct_findings f;
	const struct ct_finding *x;

	compare(&d[0], pin, prov, CT_DIR_EXACT, 0, CT_SIDE_PIN,
		CT_SIDE_PROVIDER);
	compare(&d[1], pin, pfile, CT_DIR_EXACT, 0, CT_SIDE_PIN,
		CT_SIDE_PROVIDER_FILE);
	compare(&d[2], pin, cons, CT_DIR_EXACT, 0, CT_SIDE_PIN,
		CT_SIDE_CONSUMER);
	compare(&d[3], pin, cfile, CT_DIR_EXACT, 0, CT_SIDE_PIN,
		CT_SIDE_CONSUMER_FILE);
	compare(&d[4], prov, cons, CT_DIR_EXACT, 0, CT_SIDE_PROVIDER,
		CT_SIDE_CONSUMER);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(d[i].n, 1, "comparison %d sees the change", i);
	ct_findings_build(&f, d, 5);
	cr_assert_eq(f.n, 1, "one change, one finding (got %zu)", f.n);
	cr_assert_eq(f.ncontracts, 1);
	cr_assert_eq(f.contracts[0].ncmps, 5);
	x = &f.v[0];
	cr_assert_eq(x->nseen, 5);
	cr_assert_str_eq(x->family, "default");
	cr_assert_str_eq(x->where, "M.p");
	cr_assert_str_eq(x->state[CT_SIDE_PIN], "1");
	cr_assert_str_eq(x->state[CT_SIDE_PROVIDER], "2");
	cr_assert_str_eq(x->state[CT_SIDE_PROVIDER_FILE], "2");
	cr_assert_str_eq(x->state[CT_SIDE_CONSUMER], "3");
	cr_assert_str_eq(x->state[CT_SIDE_CONSUMER_FILE], "3");
	cr_assert_eq(x->moved, (1u << CT_SIDE_PROVIDER) |
				   (1u << CT_SIDE_PROVIDER_FILE) |
				   (1u << CT_SIDE_CONSUMER) |
				   (1u << CT_SIDE_CONSUMER_FILE));
	cr_assert_eq(x->severity, CT_SEV_BREAKING, "the max: exact breaks");
	cr_assert_eq(f.counts[CT_SEV_BREAKING], 1);
	/* a diff places a changed value in the newer document: each of the
	 * four sides once, though the provider and consumer show twice */
	cr_assert_eq(x->norigins, 4, "got %zu", x->norigins);
	ct_findings_release(&f);
	for (int i = 0; i < 5; i++)
		ct_changes_release(&d[i]);
	ct_contract_free(pin);
	ct_contract_free(prov);
	ct_contract_free(pfile);
	ct_contract_free(cons);
	ct_contract_free(cfile);
}

Test(finding, added_and_refused_are_one_change)
{
	/* the provider adds "c": "enum value added" against the pin twice
	 * (code and committed file), "the reader refuses" against the
	 * consumer; the consumer against the pin sees nothing */
	static const char without[] = "{\"E\": {\"enum\": [\"a\", \"b\"]}}";
	static const char with[] = "{\"E\": {\"enum\": [\"a\", \"b\", \"c\"]}}";
	struct ct_contract *pin = doc_with("pin.json", without, NULL),
			   *prov = doc_with("p.py", with, NULL),
			   *pfile = doc_with("p.json", with, NULL),
			   *cons = doc_with("c.py", without, NULL);
	struct ct_changes d[4];
	struct ct_findings f;
	const struct ct_finding *x;

	compare(&d[0], pin, prov, CT_DIR_PROVIDER_TO_CONSUMER, 0, CT_SIDE_PIN,
		CT_SIDE_PROVIDER);
	compare(&d[1], pin, pfile, CT_DIR_PROVIDER_TO_CONSUMER, 0, CT_SIDE_PIN,
		CT_SIDE_PROVIDER_FILE);
	compare(&d[2], pin, cons, CT_DIR_PROVIDER_TO_CONSUMER, 1, CT_SIDE_PIN,
		CT_SIDE_CONSUMER);
	compare(&d[3], prov, cons, CT_DIR_PROVIDER_TO_CONSUMER, 1,
		CT_SIDE_PROVIDER, CT_SIDE_CONSUMER);
	cr_assert_eq(d[2].n, 0);
	cr_assert_eq(d[0].v[0].kind, CT_ENUM_VALUE_ADDED);
	cr_assert_eq(d[3].v[0].kind, CT_VALUE_REFUSED);
	ct_findings_build(&f, d, 4);
	cr_assert_eq(f.n, 1, "got %zu findings", f.n);
	x = &f.v[0];
	cr_assert_str_eq(x->family, "enum-value");
	cr_assert_str_eq(x->member, "c");
	cr_assert_eq(x->nseen, 3);
	cr_assert_str_eq(x->state[CT_SIDE_PIN], CT_FINDING_ABSENT);
	cr_assert_str_eq(x->state[CT_SIDE_PROVIDER], "present");
	cr_assert_str_eq(x->state[CT_SIDE_CONSUMER], CT_FINDING_ABSENT);
	cr_assert_eq(x->moved,
		     (1u << CT_SIDE_PROVIDER) | (1u << CT_SIDE_PROVIDER_FILE),
		     "the provider moved, the consumer kept the pin");
	cr_assert_eq(x->severity, CT_SEV_BREAKING);
	cr_assert_str_eq(x->message,
			 "the provider may send \"c\" in E; the consumer does "
			 "not accept it (not one of its 2 values)");
	cr_assert_not_null(strstr(x->next, "update the consumer"), "%s",
			   x->next);
	cr_assert_not_null(strstr(x->next, "contracts allow "), "%s", x->next);
	ct_findings_release(&f);
	for (int i = 0; i < 4; i++)
		ct_changes_release(&d[i]);
	ct_contract_free(pin);
	ct_contract_free(prov);
	ct_contract_free(pfile);
	ct_contract_free(cons);
}

Test(finding, errors_are_findings_once_each)
{
	struct ct_changes d[2];
	struct ct_changes init = CT_CHANGES_INIT;
	struct ct_err e = CT_ERR_INIT;
	struct ct_findings f;

	ct_err_at(&e, CT_EPARSE, "x.py", 3, 1, "invalid syntax");
	for (int i = 0; i < 2; i++) {
		d[i] = init;
		d[i].contract = strdup("c");
		d[i].left = CT_SIDE_PIN;
		d[i].right = i ? CT_SIDE_CONSUMER : CT_SIDE_PROVIDER;
		ct_errs_add(&d[i].errors, &e);
	}
	ct_findings_build(&f, d, 2);
	cr_assert_eq(f.n, 1, "the same error twice is one finding");
	cr_assert_eq(f.errors, 1);
	cr_assert(f.v[0].error);
	cr_assert_str_eq(f.v[0].message, "x.py:3:1: invalid syntax");
	cr_assert_str_eq(f.v[0].next,
			 "fix x.py there, or the manifest, and run again");
	ct_findings_release(&f);
	for (int i = 0; i < 2; i++)
		ct_changes_release(&d[i]);
}
