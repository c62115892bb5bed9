/*
 * check.h - what a licensing lawyer would want caught in an agreement
 * that loads (lints), and conflicts across a portfolio.
 */
#ifndef LICET_CHECK_H
#define LICET_CHECK_H

#include "licet/agreement.h"

/* Appends warnings (and errors where the file cannot mean anything) about
 * one loaded agreement.  Returns LIC_ENOMEM only. */
lic_err lic_check_agreement(const lic_agreement *a, lic_diags *d) LIC_MUST_CHECK;

/* Appends an error for every pair of grants of two agreements with the same
 * licensor that overlap in field x territory x time where either grant is
 * exclusive or sole.  NULL entries (files that did not load) are skipped. */
lic_err lic_check_portfolio(lic_agreement *const *as, size_t n, lic_diags *d) LIC_MUST_CHECK;

#endif
