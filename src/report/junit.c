/* junit: JUnit XML, one testsuite per contract and one testcase per
 * comparison (the pin against a side, the provider against the consumer);
 * a comparison fails when one of its changes is at or above --fail-on, and
 * is an error when it could not be made. */
#include "contracts/report.h"

/* A change of comparison d fails when its finding does. */
static const struct ct_finding *finding_of(const struct ct_findings *fs,
					   const struct ct_change *c)
{
	for (size_t i = 0; i < fs->n; i++)
		for (size_t j = 0; j < fs->v[i].nseen; j++)
			if (fs->v[i].seen[j].change == c)
				return &fs->v[i];
	return NULL;
}

static size_t failing(const struct ct_report *r, const struct ct_changes *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += r->fail_on != CT_SEV_NEVER &&
		     d->v[i].severity >= r->fail_on;
	return n;
}

static enum ct_side right_of(const struct ct_changes *d)
{
	return d->right == d->left ? CT_SIDE_NEW : d->right;
}

static void testcase(struct ct_buf *out, const struct ct_report *r,
		     const struct ct_fcontract *fc, const struct ct_changes *d)
{
	size_t bad = failing(r, d);

	ct_buf_adds(out, "    <testcase classname=\"");
	ct_report_xml(out, fc->name);
	ct_buf_addf(out, "\" name=\"%s against %s (", ct_side_key(d->left),
		    ct_side_key(right_of(d)));
	ct_report_xml(out, d->expected ? d->expected : "-");
	ct_buf_adds(out, " against ");
	ct_report_xml(out, d->actual ? d->actual : "-");
	ct_buf_adds(out, ")\" time=\"0\"");
	if (!d->errors.n && !bad && !d->n) {
		ct_buf_adds(out, "/>\n");
		return;
	}
	ct_buf_adds(out, ">\n");
	for (size_t i = 0; i < d->errors.n; i++) {
		struct ct_buf msg = CT_BUF_INIT;
		ct_report_error_text(&msg, &d->errors.v[i]);
		ct_buf_adds(out, "      <error type=\"error\" message=\"");
		ct_report_xml(out, msg.ptr);
		ct_buf_adds(out, "\"/>\n");
		ct_buf_release(&msg);
	}
	if (bad) {
		ct_buf_addf(out,
			    "      <failure type=\"drift\" message=\"%zu "
			    "change(s) at or above %s\">",
			    bad, ct_severity_name(r->fail_on));
		for (size_t i = 0; i < d->n; i++) {
			const struct ct_finding *f =
			    finding_of(r->findings, &d->v[i]);
			if (d->v[i].severity < r->fail_on || !f)
				continue;
			ct_buf_addf(out, "%s [%s]: ",
				    ct_severity_name(d->v[i].severity), f->id);
			ct_report_xml(out, f->message);
			ct_buf_adds(out, "&#10;");
		}
		ct_buf_adds(out, "</failure>\n");
	}
	if (d->n) {
		ct_buf_adds(out, "      <system-out>");
		for (size_t i = 0; i < d->n; i++) {
			const struct ct_finding *f =
			    finding_of(r->findings, &d->v[i]);
			struct ct_buf msg = CT_BUF_INIT;
			ct_change_describe(&msg, &d->v[i]);
			ct_buf_addf(out, "%s [%s]: ",
				    ct_severity_name(d->v[i].severity),
				    f ? f->id : d->v[i].fingerprint);
			ct_report_xml(out, msg.ptr);
			ct_buf_adds(out, "&#10;");
			ct_buf_release(&msg);
		}
		ct_buf_adds(out, "</system-out>\n");
	}
	ct_buf_adds(out, "    </testcase>\n");
}

static void write_junit(struct ct_buf *out, const struct ct_report *r)
{
	const struct ct_findings *fs = r->findings;
	size_t tests = 0, failures = 0, errors = 0;

	for (size_t k = 0; k < fs->ncontracts; k++)
		for (size_t i = 0; i < fs->contracts[k].ncmps; i++) {
			const struct ct_changes *d = fs->contracts[k].cmps[i];
			tests++;
			failures += failing(r, d) > 0;
			errors += d->errors.n > 0;
		}
	ct_buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	ct_buf_addf(out,
		    "<testsuites name=\"contracts\" tests=\"%zu\" "
		    "failures=\"%zu\" errors=\"%zu\" time=\"0\">\n",
		    tests, failures, errors);
	for (size_t k = 0; k < fs->ncontracts; k++) {
		const struct ct_fcontract *fc = &fs->contracts[k];
		size_t bad = 0, err = 0;
		for (size_t i = 0; i < fc->ncmps; i++) {
			bad += failing(r, fc->cmps[i]) > 0;
			err += fc->cmps[i]->errors.n > 0;
		}
		ct_buf_addf(out, "  <testsuite id=\"%zu\" name=\"", k);
		ct_report_xml(out, fc->name);
		ct_buf_addf(out,
			    "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
			    "skipped=\"0\" time=\"0\">\n",
			    fc->ncmps, bad, err);
		for (size_t i = 0; i < fc->ncmps; i++)
			testcase(out, r, fc, fc->cmps[i]);
		ct_buf_adds(out, "  </testsuite>\n");
	}
	ct_buf_adds(out, "</testsuites>\n");
}

const struct ct_reporter ct_report_junit = {
    "junit", "xml",
    "JUnit XML: a testsuite per contract, a testcase per comparison",
    write_junit};
