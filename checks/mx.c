/*
 * mx.c: the MX view other checks share: does the domain receive mail, and
 * does it say it never will (null MX, RFC 7505)?
 */
#include <string.h>

#include "dd/check.h"

static void mx_wants(const struct dd_posture *p, struct dd_wants *out)
{
	dd_wants_add(out, p->domain, DD_RR_MX);
}

static void mx_judge(const struct dd_posture *p, struct dd_result *r)
{
	const struct dd_answer *ans = dd_posture_answer(p, p->domain, DD_RR_MX);
	struct dd_mx_info *mx = &r->mx;
	if (!ans || ans->status == DD_DNS_UNKNOWN) {
		mx->state = DD_STATE_UNKNOWN;
		return;
	}
	if (dd_dns_status_is_failure(ans->status)) {
		mx->state = DD_STATE_UNDETERMINED;
		return;
	}
	mx->nhosts = ans->nrrs;
	mx->state = ans->nrrs ? DD_STATE_FOUND : DD_STATE_MISSING;
	/* RFC 7505 §3: a single MX with an empty exchange ("."), preference 0 */
	mx->null_mx = ans->nrrs == 1 && strcmp(ans->rrs[0].data, ".") == 0;
}

const struct dd_check dd_check_mx = {
	.name = "mx",
	.wants = mx_wants,
	.follow = NULL,
	.judge = mx_judge,
};
