/*
 * Application fees: ERAS (count restarts for each specialty) and ResidencyCAS
 * (EM), as published for the 2026 season (data/fees.csv).
 */
#include "smartpick/plan/fees.h"

#include <string.h>

#include "banned.h"

void sp_fees_default(struct sp_fees *f)
{
    memset(f, 0, sizeof(*f));
    memcpy(f->eras.service, "eras", 5);
    f->eras.tiers[0] = (struct sp_fee_tier){1, 30, 11, false};
    f->eras.tiers[1] = (struct sp_fee_tier){31, 0, 30, false};
    f->eras.n_tiers = 2;
    memcpy(f->residencycas.service, "residencycas", 13);
    f->residencycas.tiers[0] = (struct sp_fee_tier){1, 18, 99, true};
    f->residencycas.tiers[1] = (struct sp_fee_tier){19, 30, 18, false};
    f->residencycas.tiers[2] = (struct sp_fee_tier){31, 0, 23, false};
    f->residencycas.n_tiers = 3;
    f->transcript_usd = 80;
}

const struct sp_fee_schedule *sp_fees_for(const struct sp_fees *f, enum sp_specialty k)
{
    return k == SP_SPEC_EM ? &f->residencycas : &f->eras;
}

double sp_fee_cost(const struct sp_fee_schedule *s, int n)
{
    double total = 0;

    for (int i = 0; i < s->n_tiers; i++) {
        const struct sp_fee_tier *t = &s->tiers[i];
        int hi = t->to_n > 0 && t->to_n < n ? t->to_n : n;
        if (n < t->from_n)
            continue;
        total += t->flat ? t->fee_usd : t->fee_usd * (hi - t->from_n + 1);
    }
    return total;
}

double sp_fee_marginal(const struct sp_fee_schedule *s, int n)
{
    return n <= 0 ? 0 : sp_fee_cost(s, n) - sp_fee_cost(s, n - 1);
}
