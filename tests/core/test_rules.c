#include <criterion/criterion.h>
#include <string.h>

#include "contracts/diff.h"

Test(rules, every_kind_has_a_distinct_name_and_title)
{
	for (int i = 0; i < CT_KIND_COUNT; i++) {
		cr_assert_not_null(ct_kind_name((enum ct_change_kind)i));
		cr_assert_not_null(ct_kind_title((enum ct_change_kind)i));
		for (int j = 0; j < i; j++)
			cr_assert_str_neq(ct_kind_name((enum ct_change_kind)i),
					  ct_kind_name((enum ct_change_kind)j));
	}
}

Test(rules, provider_to_consumer_follows_the_issue)
{
	enum ct_direction d = CT_DIR_PROVIDER_TO_CONSUMER;

	cr_assert_eq(ct_rules_severity(d, CT_PROPERTY_REMOVED),
		     CT_SEV_BREAKING);
	cr_assert_eq(ct_rules_severity(d, CT_ENUM_VALUE_REMOVED),
		     CT_SEV_BREAKING);
	cr_assert_eq(ct_rules_severity(d, CT_ENUM_VALUE_ADDED),
		     CT_SEV_BREAKING);
	cr_assert_eq(ct_rules_severity(d, CT_TYPE_CHANGED), CT_SEV_BREAKING);
	cr_assert_eq(ct_rules_severity(d, CT_NULLABLE_ADDED), CT_SEV_BREAKING);
	cr_assert_eq(ct_rules_severity(d, CT_PROPERTY_REQUIRED),
		     CT_SEV_BREAKING);
	cr_assert_eq(ct_rules_severity(d, CT_DEFAULT_CHANGED), CT_SEV_WARNING);
	cr_assert_eq(ct_rules_severity(d, CT_PROPERTY_ADDED), CT_SEV_INFO);
}

Test(rules, consumer_to_provider_follows_the_issue)
{
	enum ct_direction d = CT_DIR_CONSUMER_TO_PROVIDER;

	cr_assert_eq(ct_rules_severity(d, CT_REQUIRED_PROPERTY_ADDED),
		     CT_SEV_BREAKING);
	cr_assert_eq(ct_rules_severity(d, CT_PROPERTY_REMOVED), CT_SEV_WARNING);
	cr_assert_eq(ct_rules_severity(d, CT_PROPERTY_ADDED), CT_SEV_INFO);
}

Test(rules, exact_is_always_breaking_and_superset_allows_additions)
{
	for (int i = 0; i < CT_KIND_COUNT; i++)
		cr_assert_eq(
		    ct_rules_severity(CT_DIR_EXACT, (enum ct_change_kind)i),
		    CT_SEV_BREAKING);
	cr_assert_eq(ct_rules_severity(CT_DIR_SUPERSET, CT_ENUM_VALUE_ADDED),
		     CT_SEV_INFO);
	cr_assert_eq(ct_rules_severity(CT_DIR_SUPERSET, CT_ENUM_VALUE_REMOVED),
		     CT_SEV_BREAKING);
}

Test(rules, parses_severities)
{
	enum ct_severity s;

	cr_assert_eq(ct_severity_parse(&s, "never"), 0);
	cr_assert_eq(s, CT_SEV_NEVER);
	cr_assert_eq(ct_severity_parse(&s, "fatal"), CT_EINVAL);
	cr_assert_str_eq(ct_severity_name(CT_SEV_WARNING), "warning");
}

Test(rules, a_reader_may_widen_a_writer_may_narrow)
{
	/* versions of what a reader reads (consumer-to-provider column) */
	cr_assert_eq(
	    ct_rules_severity(CT_DIR_CONSUMER_TO_PROVIDER, CT_ENUM_VALUE_ADDED),
	    CT_SEV_INFO);
	cr_assert_eq(
	    ct_rules_severity(CT_DIR_CONSUMER_TO_PROVIDER, CT_TYPE_WIDENED),
	    CT_SEV_INFO);
	cr_assert_eq(
	    ct_rules_severity(CT_DIR_CONSUMER_TO_PROVIDER, CT_TYPE_NARROWED),
	    CT_SEV_BREAKING);
	/* versions of what a writer writes (provider-to-consumer column) */
	cr_assert_eq(
	    ct_rules_severity(CT_DIR_PROVIDER_TO_CONSUMER, CT_ENUM_VALUE_ADDED),
	    CT_SEV_BREAKING);
	cr_assert_eq(
	    ct_rules_severity(CT_DIR_PROVIDER_TO_CONSUMER, CT_TYPE_NARROWED),
	    CT_SEV_WARNING);
}
