/*
 * fuzz_spf.c: an SPF record from a hostile zone -> the term parser
 * (checks/spf_parse.c) and macro expansion (checks/spf_macro.c): every
 * domain-spec expanded as the whole-tree count expands it (no client) and
 * as check_host() does for an IPv4 and an IPv6 client, and the whole input
 * as a macro-string and as exp= text. A record is also repaired and proven
 * (checks/spf_repair.c, spf_proof.c) as the domain's one record, with no
 * other answers: its includes and a/mx names are unknown.
 */
#include <string.h>

#include "fuzz.h"
#include "dd/check.h"
#include "dd/spf.h"

static void repair(const char *s, size_t size)
{
	if (!dd_spf_is_record(s, size))
		return;
	struct dd_posture *p = dd_posture_create("example.com", "example.com", NULL);
	size_t qi = dd_posture_add(p, "example.com", DD_RR_TXT, -1, 0);
	struct dd_answer *a = dd_answer_create("example.com", DD_RR_TXT, DD_DNS_OK);
	dd_answer_add_rr(a, s, size, 3600);
	p->queries[qi].answer = a;
	struct dd_spf_info info;
	memset(&info, 0, sizeof(info));
	struct dd_spf_repair *rp = dd_spf_repair_create(p, a, &a->rrs[0], &info);
	if (rp) {
		struct dd_spf_proof pr;
		dd_spf_prove(p, "example.com", rp->record, rp->record_len, s, size, &pr);
		dd_spf_proof_finish(&pr);
	}
	dd_spf_repair_destroy(rp);
	dd_posture_destroy(p); /* drops the posture's reference to the answer */
}

static void expand_all(const char *s, size_t size, const struct dd_spf_record *rec,
                       const struct dd_spf_macro_env *env)
{
	char name[DD_NAME_MAX + 1];
	bool valid;
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	for (size_t i = 0; i < rec->nterms; i++) {
		const struct dd_spf_term *t = &rec->terms[i];
		if (!t->spec)
			continue;
		dd_spf_target(t->spec, t->spec_len, env, name, &valid);
		dd_spf_expand(t->spec, t->spec_len, env, t->kind == DD_SPF_EXP, &b);
		b.len = 0;
	}
	dd_spf_expand(s, size, env, false, &b);
	b.len = 0;
	dd_spf_expand(s, size, env, true, &b);
	dd_strbuf_finish(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	dd_spf_is_record(s, size);
	struct dd_spf_record rec;
	dd_spf_parse(s, size, &rec);

	struct dd_spf_client none, v4, v6;
	dd_spf_client_init(&none, "example.com", NULL, NULL, NULL);
	dd_spf_client_init(&v4, "example.com", "192.0.2.1", "first.last+tag@example.org",
	                   "mail.example.org");
	dd_spf_client_init(&v6, "example.com", "2001:db8::cb01", "", "mail.example.org");
	const struct dd_spf_macro_env envs[] = {
		{ &none, "example.com", NULL },
		{ &v4, "sub.example.com", "mail.example.org" },
		{ &v6, "example.com", NULL }, /* %{p} not known yet */
	};
	for (size_t i = 0; i < sizeof(envs) / sizeof(envs[0]); i++)
		expand_all(s, size, &rec, &envs[i]);

	char name[DD_NAME_MAX + 1];
	dd_spf_name(s, size, name);
	dd_spf_record_finish(&rec);
	repair(s, size);
	return 0;
}
