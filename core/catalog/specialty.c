/*
 * The nine specialties: codes, names, ACGME codes, parsing.
 */
#include "smartpick/catalog/specialty.h"

#include "smartpick/error.h"
#include "sp_str.h"

#include <stddef.h>

#include "banned.h"

static const struct {
    const char *code;
    const char *name;
    const char *acgme;
} table[SP_SPEC_COUNT] = {
    [SP_SPEC_IR] = {"IR", "Interventional Radiology - Integrated", "416"},
    [SP_SPEC_DR] = {"DR", "Diagnostic Radiology", "420"},
    [SP_SPEC_IM] = {"IM", "Internal Medicine", "140"},
    [SP_SPEC_GS] = {"GS", "General Surgery", "440"},
    [SP_SPEC_VS] = {"VS", "Vascular Surgery - Integrated", "451"},
    [SP_SPEC_ANES] = {"ANES", "Anesthesiology", "040"},
    [SP_SPEC_EM] = {"EM", "Emergency Medicine", "110"},
    [SP_SPEC_NEURO] = {"NEURO", "Neurology", "180"},
    [SP_SPEC_PMR] = {"PMR", "Physical Medicine and Rehabilitation", "340"},
};

const char *sp_specialty_code(enum sp_specialty s)
{
    return (unsigned)s < SP_SPEC_COUNT ? table[s].code : "?";
}

const char *sp_specialty_name(enum sp_specialty s)
{
    return (unsigned)s < SP_SPEC_COUNT ? table[s].name : "?";
}

const char *sp_specialty_acgme(enum sp_specialty s)
{
    return (unsigned)s < SP_SPEC_COUNT ? table[s].acgme : "?";
}

int sp_specialty_parse(enum sp_specialty *out, const char *text)
{
    for (int i = 0; i < SP_SPEC_COUNT; i++) {
        if (sp_str_eqi(text, table[i].code) || sp_str_eqi(text, table[i].acgme)) {
            *out = (enum sp_specialty)i;
            return 0;
        }
    }
    return SP_ENOTFOUND;
}

const char *sp_specialty_suggest(const char *text)
{
    size_t best = (size_t)-1;
    const char *code = table[0].code;

    for (int i = 0; i < SP_SPEC_COUNT; i++) {
        size_t d = sp_str_distance(text, table[i].code, 64);
        size_t dn = sp_str_distance(text, table[i].name, 64);
        if (dn < d)
            d = dn;
        if (d < best) {
            best = d;
            code = table[i].code;
        }
    }
    return code;
}

int sp_specialty_sibling(enum sp_specialty s)
{
    switch (s) {
    case SP_SPEC_IR:
        return SP_SPEC_DR;
    case SP_SPEC_DR:
        return SP_SPEC_IR;
    case SP_SPEC_GS:
        return SP_SPEC_VS;
    case SP_SPEC_VS:
        return SP_SPEC_GS;
    default:
        return -1;
    }
}
