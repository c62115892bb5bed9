/*
 * regions.c - the built-in territory regions of FORMAT 1.
 *
 * A region is a name for a fixed set of countries.  Agreements name them
 * in grants ("territories: [EU, GB]"), and the describer (territory.c)
 * names them back when a set contains a whole region.  Their membership is
 * part of the meaning of every agreement that uses them, so it is fixed
 * here, written out in full, and explained for a licensing manager in
 * docs/territories.md.  Changing a member changes existing agreements:
 * treat it as a format change.
 *
 * MEMBERSHIP (ISO 3166-1 alpha-2, alphabetical)
 *
 *   WORLD (249)        every assigned code in iso3166.c
 *   EUROPE (52)        AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO
 *                      FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU LV MC
 *                      MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA
 *                      VA
 *   EEA (30)           AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT
 *                      LI LT LU LV MT NL NO PL PT RO SE SI SK
 *   EU (27)            AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT
 *                      LU LV MT NL PL PT RO SE SI SK
 *   NORTH_AMERICA (3)  CA MX US
 *   LATAM (29)         AR BL BO BR BZ CL CO CR CU DO EC GF GP GT GY HN HT
 *                      MF MQ MX NI PA PE PR PY SR SV UY VE
 *   APAC (56)          AF AS AU BD BN BT CC CK CN CX FJ FM GU HK HM ID IN
 *                      JP KH KI KP KR LA LK MH MM MN MO MP MV MY NC NF NP
 *                      NR NU NZ PF PG PH PK PN PW SB SG TH TK TL TO TV TW
 *                      UM VN VU WF WS
 *   MENA (20)          AE BH DZ EG IL IQ IR JO KW LB LY MA OM PS QA SA SY
 *                      TN TR YE
 *   AFRICA (60)        AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET
 *                      GA GH GM GN GQ GW IO KE KM LR LS LY MA MG ML MR MU
 *                      MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD
 *                      TF TG TN TZ UG YT ZA ZM ZW
 *
 * Borderline choices, in short (reasons in docs/territories.md):
 *   - EU and EEA are the member states only.  Places that are in the EU
 *     but have their own ISO code (AX, GF, GP, MQ, RE, YT, MF) are not in
 *     EU; EU is exactly "the 27 member states" (FORMAT 1).
 *   - Other dependent territories follow geography, not sovereignty: RE
 *     and YT are in AFRICA, GF, GP, MQ, BL, MF and PR in LATAM, AS, GU and
 *     MP in APAC, AX, FO, GG, JE, IM, GI and SJ in EUROPE.
 *   - EUROPE includes RU and CY, excludes TR and the Caucasus (AM AZ GE)
 *     and KZ.  TR is in MENA.
 *   - NORTH_AMERICA is the licensing sense (US, Canada, Mexico), not the
 *     continent; MX is in both NORTH_AMERICA and LATAM.
 *   - LATAM is Mexico, Central and South America (all mainland states and
 *     French Guiana) and the Spanish- and French-speaking Caribbean.
 *   - North Africa (DZ EG LY MA TN) is in both MENA and AFRICA.
 *   - 35 codes are in no region but WORLD: the Caucasus and Central Asia,
 *     the English- and Dutch-speaking Caribbean, BM GL PM, FK GS BV, AQ.
 *
 * The table order is the order in which lic_tset_describe tries regions
 * of equal size; it starts with the widest, WORLD.
 */
#include "licet/territory.h"

#include <string.h>

struct builtin_region {
    const char *name;
    /* Space-separated codes, alphabetical; NULL means every country. */
    const char *members;
};

static const struct builtin_region builtins[] = {
    {"WORLD", NULL},
    {"EUROPE",
     "AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR "
     "HU IE IM IS IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE "
     "SI SJ SK SM UA VA"},
    {"EEA",
     "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL "
     "NO PL PT RO SE SI SK"},
    {"EU",
     "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT "
     "RO SE SI SK"},
    {"NORTH_AMERICA", "CA MX US"},
    {"LATAM",
     "AR BL BO BR BZ CL CO CR CU DO EC GF GP GT GY HN HT MF MQ MX NI PA PE "
     "PR PY SR SV UY VE"},
    {"APAC",
     "AF AS AU BD BN BT CC CK CN CX FJ FM GU HK HM ID IN JP KH KI KP KR LA "
     "LK MH MM MN MO MP MV MY NC NF NP NR NU NZ PF PG PH PK PN PW SB SG TH "
     "TK TL TO TV TW UM VN VU WF WS"},
    {"MENA",
     "AE BH DZ EG IL IQ IR JO KW LB LY MA OM PS QA SA SY TN TR YE"},
    {"AFRICA",
     "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW "
     "IO KE KM LR LS LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN "
     "SO SS ST SZ TD TF TG TN TZ UG YT ZA ZM ZW"},
};

#define BUILTIN_COUNT (sizeof builtins / sizeof builtins[0])

size_t lic_region_builtin_count(void) { return BUILTIN_COUNT; }

const char *lic_region_builtin_name(size_t i)
{
    return i < BUILTIN_COUNT ? builtins[i].name : NULL;
}

static void add_all_countries(lic_tset *s)
{
    int n = (int)lic_country_count();
    for (int i = 0; i < n; i++)
        lic_tset_add(s, i);
}

/* The member list is "CC CC CC": codes at every third byte.  The sets are
 * built on each call rather than cached so that the library holds no
 * process-global state; it costs a few hundred table look-ups. */
static void add_member_list(lic_tset *s, const char *members)
{
    for (const char *p = members; p[0] && p[1]; p += p[2] ? 3 : 2) {
        int idx = lic_country_index(p, 2);
        if (idx >= 0)
            lic_tset_add(s, idx);
    }
}

bool lic_region_builtin(const char *name, lic_tset *out)
{
    if (!name)
        return false;
    for (size_t i = 0; i < BUILTIN_COUNT; i++) {
        if (strcmp(name, builtins[i].name) != 0)
            continue;
        if (out) {
            lic_tset_clear(out);
            if (builtins[i].members)
                add_member_list(out, builtins[i].members);
            else
                add_all_countries(out);
        }
        return true;
    }
    return false;
}
